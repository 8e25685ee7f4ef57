package io.haflare.server.net;

import io.undertow.server.AbstractServerConnection;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

/**
 * Keeps idle connections from holding a full server, as nginx does with its "reusable" connections. A
 * connection is idle while it waits for its first request or for the next one on a kept-alive connection.
 * Once the listener holds as many connections as it may ({@code cap}), each new one closes the longest idle
 * to make room, and answers given while full close their connection instead of keeping it alive. Without
 * this, connections that never send a request would hold every slot until their timeout (minutes), and new
 * visitors would wait in the listen backlog behind them.
 * <p>
 * It sits between the accepting channel and Undertow's open listener ({@link #admitting}), and around the
 * root handler ({@link #track}). Each connection's marks are written on its own IO thread; a reclaim chosen
 * on another thread is carried out on the connection's thread, and only if it is still idle by then.
 */
public final class ConnectionReclaim {
    /** idleSince of a connection serving a request; of one chosen for closing. */
    static final long BUSY = Long.MAX_VALUE;
    static final long CLOSING = Long.MIN_VALUE;
    /** nginx drains at most 32 reusable connections at once, an eighth of them when fewer. */
    static final int MAX_BATCH = 32;

    private static final VarHandle IDLE_SINCE;

    static {
        try {
            IDLE_SINCE = MethodHandles.lookup().findVarHandle(Tracked.class, "idleSince", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int cap;
    private final LongSupplier nanoTime;
    private final IntConsumer onFull;
    private final Map<StreamConnection, Tracked> open = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    /** Closes scheduled on their connections' threads and not yet run: those slots are already on their way. */
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong reclaimed = new AtomicLong();

    /**
     * cap: the connections the listener may hold; onFull: told how many connections are being closed, each
     * time the cap is reached with idle ones to close.
     */
    public ConnectionReclaim(int cap, LongSupplier nanoTime, IntConsumer onFull) {
        this.cap = cap;
        this.nanoTime = nanoTime;
        this.onFull = onFull;
    }

    /** The accept listener: each connection is counted and tracked, then handed to next (Undertow's). */
    public ChannelListener<StreamConnection> admitting(ChannelListener<StreamConnection> next) {
        return connection -> opened(connection, next);
    }

    private void opened(StreamConnection connection, ChannelListener<StreamConnection> next) {
        count.incrementAndGet();
        accepted.incrementAndGet();
        reclaimIfFull(); // before it is tracked: room is made for it, never by closing it
        Tracked tracked = new Tracked(connection, nanoTime.getAsLong());
        open.put(connection, tracked);
        connection.setCloseListener(tracked); // XNIO keeps it when Undertow's connection adds its own
        next.handleEvent(connection);
    }

    /** The root handler, marking each connection busy while it serves a request. */
    public HttpHandler track(HttpHandler handler) {
        return exchange -> {
            Tracked tracked = exchange.getConnection() instanceof AbstractServerConnection connection
                    ? open.get(connection.getChannel()) : null;
            if (tracked != null) {
                IDLE_SINCE.setRelease(tracked, BUSY); // no fence: see claim
                exchange.addExchangeCompleteListener(tracked);
                if (count.get() >= cap) {
                    exchange.setPersistent(false); // full: this slot goes to whoever waits
                }
            }
            handler.handleRequest(exchange);
        };
    }

    /** Connections open now. */
    public int open() {
        return count.get();
    }

    /** The most connections the listener holds at once. */
    public int limit() {
        return cap;
    }

    /** Connections accepted since the start. */
    public long accepted() {
        return accepted.get();
    }

    /** Idle connections closed to make room, since the start. */
    public long reclaimed() {
        return reclaimed.get();
    }

    /** The Prometheus text exposition of the listener's connections. */
    public void appendTo(StringBuilder out) {
        out.append("# HELP haflare_http_connections Connections open on the site listener.\n");
        out.append("# TYPE haflare_http_connections gauge\n");
        out.append("haflare_http_connections ").append(count.get()).append('\n');
        out.append("# HELP haflare_http_connections_limit The most connections the site listener holds at once"
                + " (fewer than configured under a low open-file limit).\n");
        out.append("# TYPE haflare_http_connections_limit gauge\n");
        out.append("haflare_http_connections_limit ").append(cap).append('\n');
        out.append("# HELP haflare_http_connections_accepted_total Connections the site listener accepted.\n");
        out.append("# TYPE haflare_http_connections_accepted_total counter\n");
        out.append("haflare_http_connections_accepted_total ").append(accepted.get()).append('\n');
        out.append("# HELP haflare_http_connections_reclaimed_total Idle connections closed to let new ones in while"
                + " the site listener was full.\n");
        out.append("# TYPE haflare_http_connections_reclaimed_total counter\n");
        out.append("haflare_http_connections_reclaimed_total ").append(reclaimed.get()).append('\n');
    }

    private void reclaimIfFull() {
        if (count.get() - pending.get() < cap) {
            return;
        }
        int closing = 0;
        for (Seen seen : longestIdle(open.values(), MAX_BATCH)) {
            Tracked tracked = seen.tracked();
            if (tracked.claim(seen.since())) {
                pending.incrementAndGet();
                closing++;
                tracked.connection.getIoThread().execute(() -> closeIfStillIdle(tracked));
            }
        }
        if (closing > 0) {
            onFull.accept(closing);
        }
    }

    private void closeIfStillIdle(Tracked tracked) {
        try {
            // a request since then marked it busy, and its end idle again: either way it stays
            if (tracked.idleSince == CLOSING && tracked.connection.isOpen()) {
                reclaimed.incrementAndGet();
                IoUtils.safeClose(tracked.connection);
            }
        } finally {
            pending.decrementAndGet();
        }
    }

    private void forget(Tracked tracked) {
        if (open.remove(tracked.connection, tracked)) {
            count.decrementAndGet();
        }
    }

    /**
     * The longest idle of these connections, each with the idle mark it was chosen by, as many as nginx would
     * drain: an eighth of the idle ones, at least one and at most max.
     */
    static List<Seen> longestIdle(Iterable<Tracked> connections, int max) {
        List<Seen> idle = new ArrayList<>();
        for (Tracked tracked : connections) {
            long since = tracked.idleSince; // read once: its thread may change it meanwhile
            if (since != BUSY && since != CLOSING) {
                idle.add(new Seen(tracked, since));
            }
        }
        int wanted = Math.min(max, Math.max(1, idle.size() / 8));
        if (idle.size() <= wanted) {
            return idle;
        }
        // the wanted smallest marks, kept in a heap whose top is the most recent of them
        PriorityQueue<Seen> oldest = new PriorityQueue<>(wanted + 1, Comparator.comparingLong(Seen::since).reversed());
        for (Seen seen : idle) {
            oldest.add(seen);
            if (oldest.size() > wanted) {
                oldest.poll();
            }
        }
        return new ArrayList<>(oldest);
    }

    /** A connection and the idle mark it had when looked at. */
    record Seen(Tracked tracked, long since) {}

    /** One connection: since when it is idle, and what forgets it once closed. */
    final class Tracked implements ChannelListener<StreamConnection>, ExchangeCompletionListener {
        final StreamConnection connection;
        volatile long idleSince;

        Tracked(StreamConnection connection, long idleSince) {
            this.connection = connection;
            this.idleSince = idleSince;
        }

        /**
         * Marks it for closing unless it changed since it was seen idle at that instant (a request began). So its
         * own thread's marks, two a request, need no fence: one made before this claim fails it; one made after,
         * the close re-checks on that thread, where the mark is certain.
         */
        boolean claim(long seen) {
            return IDLE_SINCE.compareAndSet(this, seen, CLOSING);
        }

        @Override
        public void handleEvent(StreamConnection closed) {
            forget(this);
        }

        @Override
        public void exchangeEvent(HttpServerExchange exchange, NextListener nextListener) {
            IDLE_SINCE.setRelease(this, nanoTime.getAsLong());
            try {
                nextListener.proceed();
            } finally {
                if (exchange.isPersistent()) { // else it is closing anyway
                    reclaimIfFull(); // full, with no new connection to trigger it: this may be the one to go
                }
            }
        }
    }
}
