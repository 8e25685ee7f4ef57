package io.haflare.server.http;

import io.undertow.server.HttpServerExchange;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSinkChannel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Sends part of a file without blocking a thread: one sendfile (transferFrom) per writability event, so each
 * fills the socket's free buffer. Used for files too large for the in-memory cache.
 */
public final class FileTransfer implements ChannelListener<StreamSinkChannel> {
    private final HttpServerExchange exchange;
    private final FileChannel file;
    private long position;
    private long remaining;

    private FileTransfer(HttpServerExchange exchange, FileChannel file, long position, long count) {
        this.exchange = exchange;
        this.file = file;
        this.position = position;
        this.remaining = count;
    }

    public static void start(HttpServerExchange exchange, Path path, long position, long count) {
        if (count == 0 || exchange.getRequestMethod().equalToString("HEAD")) {
            exchange.endExchange();
            return;
        }
        // Undertow sends the first bytes along with the headers by reading one whole buffer from the channel,
        // whatever count transferFrom is given. A part shorter than that (Safari asks a video for bytes=0-1 first)
        // would go out with the bytes after it, which the client reads as the start of the next answer.
        if (count < exchange.getConnection().getByteBufferPool().getBufferSize()) {
            sendRead(exchange, path, position, (int) count);
            return;
        }
        FileChannel opened = null;
        try {
            opened = FileChannel.open(path, StandardOpenOption.READ);
            // and it reads the channel at its own position, whatever position transferFrom is given
            opened.position(position);
        } catch (IOException e) {
            IoUtils.safeClose(opened);
            fileWentAway(exchange);
            return;
        }
        FileChannel file = opened;
        exchange.addExchangeCompleteListener((ex, next) -> {
            IoUtils.safeClose(file);
            next.proceed();
        });
        new FileTransfer(exchange, file, position, count).handleEvent(exchange.getResponseChannel());
    }

    /** Reads the part into memory, as small as one of Undertow's buffers, and sends it from there. */
    private static void sendRead(HttpServerExchange exchange, Path path, long position, int count) {
        ByteBuffer part = ByteBuffer.allocate(count);
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ)) {
            while (part.hasRemaining()) {
                if (file.read(part, position + part.position()) < 0) {
                    throw new IOException("file shrank after its headers were decided");
                }
            }
        } catch (IOException e) {
            fileWentAway(exchange);
            return;
        }
        exchange.getResponseSender().send(part.flip());
    }

    /** The file changed after its headers were decided: end the connection rather than send a lie. */
    private static void fileWentAway(HttpServerExchange exchange) {
        IoUtils.safeClose(exchange.getConnection());
    }

    @Override
    public void handleEvent(StreamSinkChannel sink) {
        try {
            long sent = sink.transferFrom(file, position, remaining);
            if (sent == 0 && position >= file.size()) {
                throw new IOException("file shrank while it was being sent");
            }
            position += sent;
            remaining -= sent;
            if (remaining > 0) {
                // The socket took less than offered: it is full. Asking again at once would only get the few bytes
                // the client read meanwhile, each a small segment the client pays for; waiting until it is
                // writable again (a third of its buffer free) sends large ones, as nginx does. This holds for the
                // first transfer too, which Undertow cuts to the headers and one buffer: sending the rest at once
                // took the 250 KB image of bench/serve-vs-nginx.sh from 17k to 10k req/s.
                sink.getWriteSetter().set(this);
                sink.resumeWrites();
                return;
            }
            sink.suspendWrites();
            sink.getWriteSetter().set(null);
            exchange.endExchange();
        } catch (IOException e) {
            IoUtils.safeClose(exchange.getConnection());
        }
    }
}
