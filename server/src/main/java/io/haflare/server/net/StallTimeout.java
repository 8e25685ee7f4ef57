package io.haflare.server.net;

import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.XnioExecutor;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.channels.StreamSourceChannel;
import org.xnio.conduits.AbstractStreamSinkConduit;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.StreamSinkConduit;
import org.xnio.conduits.StreamSourceConduit;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ends connections on which no byte has moved, either way, for the timeout. Without it a client that stops
 * reading its answer, or stops sending a request body it announced, holds its connection for good: Undertow's
 * own timeouts cover waiting for a request and reading its headers, its idle timeout does nothing on HTTP/1.1
 * connections, and a connection in the middle of a request is never reclaimed ({@link ConnectionReclaim}).
 * nginx's send_timeout and client_body_timeout do this job.
 * <p>
 * Its conduits sit under everything else on a connection's reads and writes and note that bytes moved: one store
 * per read or write, nothing more. A timer on the connection's IO thread looks every half timeout; after two
 * looks in a row with nothing moved, its reads and writes fail as if the client had gone, and whoever waits on
 * them (Undertow, the node's writers) is woken to find out, so the request ends as a broken one does: logged,
 * counted, its connection closed. A connection nobody waits on is closed a second later.
 */
public final class StallTimeout {
    private static final long CLOSE_AFTER_WAKING_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final VarHandle MOVED;

    static {
        try {
            MOVED = MethodHandles.lookup().findVarHandle(Watch.class, "moved", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long lookEveryNanos;
    private final String reason;
    private final AtomicLong stalled = new AtomicLong();

    public StallTimeout(Duration timeout) {
        this.lookEveryNanos = timeout.toNanos() / 2;
        this.reason = "nothing moved for " + timeout.toSeconds() + " s";
    }

    /** The accept listener: each connection's reads and writes are watched, then it goes to next (Undertow's). */
    public ChannelListener<StreamConnection> installing(ChannelListener<StreamConnection> next) {
        return connection -> {
            Watch watch = new Watch(connection);
            connection.getSourceChannel().setConduit(watch.new Source(connection.getSourceChannel().getConduit()));
            connection.getSinkChannel().setConduit(watch.new Sink(connection.getSinkChannel().getConduit()));
            connection.setCloseListener(watch); // XNIO adds it to Undertow's and the reclaim's
            watch.lookAgain(lookEveryNanos);
            next.handleEvent(connection);
        };
    }

    /** Connections ended because nothing moved for the timeout, since the start. */
    public long stalled() {
        return stalled.get();
    }

    /** The Prometheus text exposition of {@link #stalled}. */
    public void appendTo(StringBuilder out) {
        out.append("# HELP haflare_http_connections_stalled_total Connections of the site and admin listeners closed"
                + " because no byte moved either way for the idle timeout (a client that stopped reading its answer"
                + " or sending its request).\n");
        out.append("# TYPE haflare_http_connections_stalled_total counter\n");
        out.append("haflare_http_connections_stalled_total ").append(stalled.get()).append('\n');
    }

    /** One connection: whether bytes moved since the last look, and its timer. */
    final class Watch implements Runnable, ChannelListener<StreamConnection> {
        private final StreamConnection connection;
        /** Written by whichever thread reads or writes, read by the IO thread's timer: opaque access suffices. */
        @SuppressWarnings("unused")
        private boolean moved;
        private int quietLooks;
        /** Set once: from then on every read and write fails. */
        private volatile boolean ended;
        private volatile XnioExecutor.Key timer;

        Watch(StreamConnection connection) {
            this.connection = connection;
        }

        void moved() {
            MOVED.setOpaque(this, true);
        }

        void check() throws IOException {
            if (ended) {
                throw new IOException(reason);
            }
        }

        /** The timer, on the connection's IO thread. */
        @Override
        public void run() {
            if (!connection.isOpen()) {
                return;
            }
            if (ended) {
                IoUtils.safeClose(connection); // woken, nobody ended it
                return;
            }
            if ((boolean) MOVED.getOpaque(this)) {
                MOVED.setOpaque(this, false);
                quietLooks = 0;
            } else if (++quietLooks == 2) {
                end();
                return;
            }
            lookAgain(lookEveryNanos);
        }

        private void end() {
            ended = true;
            stalled.incrementAndGet();
            if (connection.getSourceChannel().isReadResumed()) {
                connection.getSourceChannel().wakeupReads();
            }
            if (connection.getSinkChannel().isWriteResumed()) {
                connection.getSinkChannel().wakeupWrites();
            }
            lookAgain(CLOSE_AFTER_WAKING_NANOS);
        }

        void lookAgain(long nanos) {
            try {
                timer = connection.getIoThread().executeAfter(this, nanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // the worker is stopping and closes every connection itself
            }
        }

        /** The connection closed: its timer goes, or it would hold the connection until it ran. */
        @Override
        public void handleEvent(StreamConnection closed) {
            XnioExecutor.Key key = timer;
            if (key != null) {
                key.remove();
            }
        }

        /** Passes a read's or write's count on, noting that bytes moved when any did. */
        int counted(int bytes) {
            if (bytes > 0) {
                moved();
            }
            return bytes;
        }

        long counted(long bytes) {
            if (bytes > 0) {
                moved();
            }
            return bytes;
        }

        final class Source extends AbstractStreamSourceConduit<StreamSourceConduit> {
            Source(StreamSourceConduit next) {
                super(next);
            }

            @Override
            public int read(ByteBuffer dst) throws IOException {
                check();
                return counted(next.read(dst));
            }

            @Override
            public long read(ByteBuffer[] dsts, int offs, int len) throws IOException {
                check();
                return counted(next.read(dsts, offs, len));
            }

            @Override
            public long transferTo(long position, long count, FileChannel target) throws IOException {
                check();
                return counted(next.transferTo(position, count, target));
            }

            @Override
            public long transferTo(long count, ByteBuffer throughBuffer, StreamSinkChannel target) throws IOException {
                check();
                int buffered = throughBuffer.remaining();
                long transferred = next.transferTo(count, throughBuffer, target);
                if (throughBuffer.remaining() > buffered) {
                    moved(); // read from the socket, not yet written on
                }
                return counted(transferred);
            }
        }

        final class Sink extends AbstractStreamSinkConduit<StreamSinkConduit> {
            Sink(StreamSinkConduit next) {
                super(next);
            }

            @Override
            public int write(ByteBuffer src) throws IOException {
                check();
                return counted(next.write(src));
            }

            @Override
            public long write(ByteBuffer[] srcs, int offs, int len) throws IOException {
                check();
                return counted(next.write(srcs, offs, len));
            }

            @Override
            public int writeFinal(ByteBuffer src) throws IOException {
                check();
                return counted(next.writeFinal(src));
            }

            @Override
            public long writeFinal(ByteBuffer[] srcs, int offs, int len) throws IOException {
                check();
                return counted(next.writeFinal(srcs, offs, len));
            }

            @Override
            public long transferFrom(FileChannel src, long position, long count) throws IOException {
                check();
                return counted(next.transferFrom(src, position, count));
            }

            @Override
            public long transferFrom(StreamSourceChannel source, long count, ByteBuffer throughBuffer)
                    throws IOException {
                check();
                return counted(next.transferFrom(source, count, throughBuffer));
            }
        }
    }
}
