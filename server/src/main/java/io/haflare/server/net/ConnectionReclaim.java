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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

/**
 * Keeps idle connections from holding a full server, as nginx does with its "reusable" connections. A
 * connection is idle while it waits for its first request or for the next one on a kept-alive connection.
 * Once the listener holds as many connections as it may ({@code cap}), the longest idle are closed to make
 * room for new ones, those idle for a second or more ({@link #MIN_IDLE_NANOS}). Without this, connections
 * that never send a request would hold every slot until their timeout (minutes), and new visitors would wait
 * in the listen backlog behind them.
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
    /**
     * How long a connection must have been idle to be closed for another. nginx has no such floor, and without
     * it clients in use (idle for microseconds between requests) were closed for newcomers as soon as there
     * were more of them than the cap: each reconnected and closed another, and 200 wrk connections against a
     * cap of 86 got 26k requests a second instead of 87k, with 28k connections broken in 6 s.
     */
    static final long MIN_IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

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
    /** A check scheduled for when the listener is full and nothing has been idle long enough yet. */
    private final AtomicBoolean recheckScheduled = new AtomicBoolean();

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
        long now = nanoTime.getAsLong();
        Choice choice = longestIdle(open.values(), MAX_BATCH, now - MIN_IDLE_NANOS);
        int closing = 0;
        for (Seen seen : choice.chosen()) {
            Tracked tracked = seen.tracked();
            if (tracked.claim(seen.since())) {
                pending.incrementAndGet();
                closing++;
                tracked.connection.getIoThread().execute(() -> closeIfStillIdle(tracked));
            }
        }
        if (closing > 0) {
            onFull.accept(closing);
        } else {
            recheck(choice, now);
        }
    }

    /**
     * Full, and nothing idle long enough: looks again when the longest idle will be, or in a second when none is
     * idle. Nothing else would: a full listener accepts no one, and so no accept triggers a check.
     */
    private void recheck(Choice choice, long now) {
        Tracked any = choice.someone();
        if (any == null || !recheckScheduled.compareAndSet(false, true)) {
            return;
        }
        long delay = choice.nextEligible() == Long.MAX_VALUE ? MIN_IDLE_NANOS
                : Math.max(0, choice.nextEligible() + MIN_IDLE_NANOS - now);
        try {
            any.connection.getIoThread().executeAfter(() -> {
                recheckScheduled.set(false);
                reclaimIfFull();
            }, delay + TimeUnit.MILLISECONDS.toNanos(1), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            recheckScheduled.set(false); // the server is stopping
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
     * The longest idle of these connections among those idle since idleBefore or earlier, each with the idle
     * mark it was chosen by, as many as nginx would drain: an eighth of them, at least one and at most max.
     * Also the earliest mark of those idle too briefly, and a connection whose thread can run a later check.
     */
    static Choice longestIdle(Iterable<Tracked> connections, int max, long idleBefore) {
        List<Seen> idle = new ArrayList<>();
        long nextEligible = Long.MAX_VALUE;
        Tracked someone = null;
        for (Tracked tracked : connections) {
            someone = tracked;
            long since = tracked.idleSince; // read once: its thread may change it meanwhile
            if (since == BUSY || since == CLOSING) {
                continue;
            }
            if (since - idleBefore <= 0) {
                idle.add(new Seen(tracked, since));
            } else if (nextEligible == Long.MAX_VALUE || since - nextEligible < 0) {
                nextEligible = since;
            }
        }
        int wanted = Math.min(max, Math.max(1, idle.size() / 8));
        if (idle.size() <= wanted) {
            return new Choice(idle, nextEligible, someone);
        }
        // the wanted smallest marks, kept in a heap whose top is the most recent of them
        PriorityQueue<Seen> oldest = new PriorityQueue<>(wanted + 1, Comparator.comparingLong(Seen::since).reversed());
        for (Seen seen : idle) {
            oldest.add(seen);
            if (oldest.size() > wanted) {
                oldest.poll();
            }
        }
        return new Choice(new ArrayList<>(oldest), nextEligible, someone);
    }

    /** A connection and the idle mark it had when looked at. */
    record Seen(Tracked tracked, long since) {}

    /** What longestIdle found: those to close; when the next would be old enough; any connection at all. */
    record Choice(List<Seen> chosen, long nextEligible, Tracked someone) {}

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
            nextListener.proceed();
        }
    }
}
