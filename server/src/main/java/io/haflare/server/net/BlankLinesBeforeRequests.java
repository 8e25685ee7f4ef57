package io.haflare.server.net;

import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.AbstractServerConnection;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import org.xnio.ChannelListener;
import org.xnio.StreamConnection;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.StreamSourceConduit;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Skips empty lines (CR and LF) in front of a request line, as RFC 9112 section 2.2 asks ("SHOULD ignore at
 * least one empty line") and as nginx does for any number of them. Undertow's parser answers them 400 and
 * closes the connection, which is what some older clients' stray CRLF after a request (a POST body's, most
 * often) would get. The same first read of a request line has a stray '%' in its query repaired
 * ({@link QueryPercentRepair}), which Undertow would also refuse.
 * <p>
 * Undertow reads a request either from the socket or from bytes left over after the previous request, in its
 * own buffer. So there are two places: a conduit under Undertow's reads, which drops the blanks while the
 * connection waits for a request line ({@link #installing}), and the root handler ({@link #around}), which
 * drops them at the front of the leftover bytes once the request has been read whole, and then tells the
 * conduit that what it reads next starts a request. The handler finds the conduit as the connection's original
 * source conduit, which it is as long as Undertow's open listener adds none of its own (it would for a read
 * timeout, an idle timeout or statistics, none of which the node sets); BlankLinesTest fails if it does.
 */
public final class BlankLinesBeforeRequests {
    private BlankLinesBeforeRequests() {}

    /** The accept listener: each connection's reads go through the conduit, then it goes to next (Undertow's). */
    public static ChannelListener<StreamConnection> installing(ChannelListener<StreamConnection> next) {
        return connection -> {
            connection.getSourceChannel().setConduit(new SkippingConduit(connection.getSourceChannel().getConduit()));
            next.handleEvent(connection);
        };
    }

    /** The root handler: the request is read whole by the time it runs, or once it ends (one with a body). */
    public static HttpHandler around(HttpHandler handler) {
        return exchange -> {
            if (exchange.getConnection() instanceof AbstractServerConnection connection
                    && connection.getOriginalSourceConduit() instanceof SkippingConduit conduit) {
                if (exchange.isRequestComplete()) {
                    nextRequestAhead(connection, conduit);
                } else {
                    exchange.addExchangeCompleteListener((done, next) -> {
                        nextRequestAhead(connection, conduit);
                        next.proceed();
                    });
                }
            }
            handler.handleRequest(exchange);
        };
    }

    /** Drops the blanks at the front of the leftover bytes; the conduit skips more unless a request began there. */
    private static void nextRequestAhead(AbstractServerConnection connection, SkippingConduit conduit) {
        PooledByteBuffer extra = connection.getExtraBytes();
        if (extra != null) {
            ByteBuffer bytes = extra.getBuffer();
            bytes.position(bytes.position() + blanks(bytes, bytes.position(), bytes.limit()));
            if (bytes.hasRemaining()) {
                int end = bytes.limit();
                bytes.limit(bytes.capacity()); // room to repair in: the pool's buffer past the leftover is free
                bytes.limit(QueryPercentRepair.repair(bytes, bytes.position(), end, bytes.capacity()));
                conduit.betweenRequests = false;
                return;
            }
            connection.setExtraBytes(null); // all blank: Undertow reads the next request from the socket
            extra.close();
        }
        conduit.betweenRequests = true;
    }

    /** How many CR and LF bytes begin bytes[from, to). */
    static int blanks(ByteBuffer bytes, int from, int to) {
        int i = from;
        while (i < to && (bytes.get(i) == '\r' || bytes.get(i) == '\n')) {
            i++;
        }
        return i - from;
    }

    /**
     * Removes the blanks a read brought in front of a request line. Reads of a request's body never skip: by then
     * a request line has been read. Its flag is set before Undertow reads for the next request, on the IO thread
     * or, at the end of a dispatched request, on another that then hands the connection back through Undertow's
     * volatile request state.
     */
    static final class SkippingConduit extends AbstractStreamSourceConduit<StreamSourceConduit> {
        /** True until the first byte of a request line; set again once a request has been read whole. */
        boolean betweenRequests = true;

        SkippingConduit(StreamSourceConduit next) {
            super(next);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            if (!betweenRequests) {
                return next.read(dst);
            }
            int start = dst.position();
            int read = next.read(dst);
            if (read <= 0) {
                return read;
            }
            int skip = blanks(dst, start, start + read);
            if (skip == read) {
                dst.position(start); // nothing but blanks: as if nothing had arrived yet
                return 0;
            }
            betweenRequests = false;
            if (skip > 0) { // move the request's first bytes to where the read began
                ByteBuffer rest = dst.duplicate().position(start + skip).limit(start + read);
                dst.position(start).put(rest);
                read -= skip;
            }
            int end = QueryPercentRepair.repair(dst, start, start + read, dst.limit());
            dst.position(end);
            return end - start;
        }

        @Override
        public long read(ByteBuffer[] dsts, int offs, int len) throws IOException {
            if (!betweenRequests) {
                return next.read(dsts, offs, len);
            }
            for (int i = offs; i < offs + len; i++) {
                if (dsts[i].hasRemaining()) {
                    return read(dsts[i]);
                }
            }
            return 0;
        }
    }
}
