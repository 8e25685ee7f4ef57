package io.haflare.server.http;

import io.undertow.server.HttpServerExchange;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSinkChannel;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Sends part of a file without blocking a thread: sendfile (transferFrom) while the socket takes bytes,
 * then waits for writability. Used for files too large for the in-memory cache.
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
        FileChannel file;
        try {
            file = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            // the file went away after its headers were decided: end the connection rather than send a lie
            IoUtils.safeClose(exchange.getConnection());
            return;
        }
        exchange.addExchangeCompleteListener((ex, next) -> {
            IoUtils.safeClose(file);
            next.proceed();
        });
        new FileTransfer(exchange, file, position, count).handleEvent(exchange.getResponseChannel());
    }

    @Override
    public void handleEvent(StreamSinkChannel sink) {
        try {
            while (remaining > 0) {
                long sent = sink.transferFrom(file, position, remaining);
                if (sent == 0) {
                    if (position >= file.size()) {
                        throw new IOException("file shrank while it was being sent");
                    }
                    sink.getWriteSetter().set(this);
                    sink.resumeWrites();
                    return;
                }
                position += sent;
                remaining -= sent;
            }
            sink.suspendWrites();
            sink.getWriteSetter().set(null);
            exchange.endExchange();
        } catch (IOException e) {
            IoUtils.safeClose(exchange.getConnection());
        }
    }
}
