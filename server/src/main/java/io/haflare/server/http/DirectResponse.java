package io.haflare.server.http;

import io.undertow.server.Connectors;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpServerConnection;
import io.undertow.util.DateUtils;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.SameThreadExecutor;
import io.undertow.util.StatusCodes;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.conduits.ConduitStreamSinkChannel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes a whole 200 (status line, header lines serialized beforehand, Date, Connection, body) straight to
 * the connection in one gathering write, then ends the exchange as Undertow's own response channel does when
 * its last byte is out ({@link Connectors#terminateResponse}): keep-alive, pipelining, closing a connection
 * that is not persistent and the completion listeners (access log, metrics, graceful shutdown) stay
 * Undertow's. Only for an exchange whose response Undertow has not begun: {@link #possible}.
 */
public final class DirectResponse {
    private static final byte[] STATUS = ascii(" 200 OK\r\n");
    private static final byte[] DATE = ascii("Date: ");
    private static final byte[] KEEP_ALIVE = ascii("\r\nConnection: keep-alive\r\n\r\n");
    private static final byte[] CLOSE = ascii("\r\nConnection: close\r\n\r\n");
    /** A head that does not fit goes Undertow's way; a site's headers are a few hundred bytes. */
    private static final int HEAD_CAPACITY = 8 * 1024;
    private static final Runnable NOTHING = () -> { };

    /** Per IO thread: a response's head leaves this buffer before the thread serves another request. */
    private static final ThreadLocal<ByteBuffer> HEADS =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(HEAD_CAPACITY));

    private DirectResponse() {
    }

    /**
     * On the IO thread, no request body left to read, nothing of the response decided yet (status 200, no
     * header), and no pipelining buffer of Undertow's in the way (off unless configured).
     */
    public static boolean possible(HttpServerExchange exchange) {
        return exchange.isInIoThread() && exchange.isRequestComplete() && !exchange.isResponseStarted()
                && exchange.getStatusCode() == StatusCodes.OK && exchange.getResponseHeaders().size() == 0
                && exchange.getConnection() instanceof HttpServerConnection connection
                && connection.getPipelineBuffer() == null;
    }

    /**
     * Sends the response; false, with nothing written, when its head would not fit the buffer. {@code lines}:
     * the header lines but Date and Connection, each ending in CRLF. A HEAD gets the head alone.
     */
    public static boolean send(HttpServerExchange exchange, SiteRequest request, byte[] lines, ByteBuffer body) {
        HttpString protocol = exchange.getProtocol();
        String date = DateUtils.getCurrentDateTime(exchange);
        ByteBuffer head = HEADS.get();
        if (protocol.length() + STATUS.length + lines.length + DATE.length + date.length() + KEEP_ALIVE.length
                > head.capacity()) {
            return false;
        }
        head.clear();
        protocol.appendTo(head);
        head.put(STATUS).put(lines).put(DATE);
        for (int i = 0; i < date.length(); i++) {
            head.put((byte) date.charAt(i));
        }
        head.put(exchange.isPersistent() ? KEEP_ALIVE : CLOSE).flip();
        boolean headOnly = ExactMethod.is(exchange.getRequestMethod(), Methods.HEAD);
        Write write = new Write(exchange, request, head.remaining(), headOnly ? new ByteBuffer[] {head}
                : new ByteBuffer[] {head, body});
        write.first();
        return true;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** One response's write: at once, or, when the socket is full, as it drains. */
    private static final class Write implements ChannelListener<ConduitStreamSinkChannel> {
        private final HttpServerExchange exchange;
        private final SiteRequest request;
        private final int headLength;
        private final ByteBuffer[] buffers;
        private final ConduitStreamSinkChannel channel;
        private long written;

        Write(HttpServerExchange exchange, SiteRequest request, int headLength, ByteBuffer[] buffers) {
            this.exchange = exchange;
            this.request = request;
            this.headLength = headLength;
            this.buffers = buffers;
            this.channel = ((HttpServerConnection) exchange.getConnection()).getChannel().getSinkChannel();
        }

        void first() {
            try {
                if (writeAll()) {
                    done();
                    return;
                }
            } catch (IOException e) {
                failed();
                return;
            }
            // the socket is full: the head leaves the thread's buffer, the rest goes when the socket drains,
            // and the exchange is held open (dispatched) so Undertow does not end it when the handler returns
            buffers[0] = ByteBuffer.allocate(buffers[0].remaining()).put(buffers[0]).flip();
            channel.getWriteSetter().set(this);
            channel.resumeWrites();
            exchange.dispatch(SameThreadExecutor.INSTANCE, NOTHING);
        }

        @Override
        public void handleEvent(ConduitStreamSinkChannel sink) {
            try {
                if (!writeAll()) {
                    return;
                }
                release();
                done();
            } catch (IOException e) {
                release();
                failed();
            }
        }

        private boolean writeAll() throws IOException {
            written += channel.write(buffers);
            return !buffers[buffers.length - 1].hasRemaining() && channel.flush();
        }

        private void release() {
            channel.suspendWrites();
            channel.getWriteSetter().set(null);
        }

        private void done() {
            request.directBodyBytes = written - headLength;
            Connectors.terminateResponse(exchange);
        }

        /** The client went away: logged with what reached it, and the connection closed, as Undertow does. */
        private void failed() {
            request.directBodyBytes = Math.max(0, written - headLength);
            exchange.setPersistent(false);
            IoUtils.safeClose(exchange.getConnection());
            Connectors.terminateResponse(exchange);
        }
    }
}
