package io.haflare.server.net;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Says, at most once a minute, that the listener is full and idle connections are being closed to let new
 * ones in (nginx's "worker_connections are not enough, reusing connections"). A flood of idle connections
 * would otherwise write a line per batch.
 */
public final class FullWarning {
    static final long EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final int cap;
    private final Consumer<String> warn;
    private final LongSupplier nanoTime;
    private long closedSinceLine;
    private long lastLine;
    private boolean said;

    public FullWarning(int cap, Consumer<String> warn, LongSupplier nanoTime) {
        this.cap = cap;
        this.warn = warn;
        this.nanoTime = nanoTime;
    }

    /** count idle connections are being closed to make room. */
    public synchronized void closing(int count) {
        closedSinceLine += count;
        long now = nanoTime.getAsLong();
        if (said && now - lastLine < EVERY_NANOS) {
            return;
        }
        warn.accept("all " + cap + " connections in use: closing the longest-idle to let new ones in ("
                + closedSinceLine + " closed " + (said ? "in the last minute" : "now") + ")");
        said = true;
        lastLine = now;
        closedSinceLine = 0;
    }
}
