package io.haflare.server.log;

import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes one line per finished request. IO threads only enqueue; one background thread writes and flushes
 * when the queue runs dry, so a slow terminal or disk never stalls a response. If the queue overflows the
 * line is dropped and counted rather than blocking the server.
 */
public final class AccessLog implements Closeable {
    private static final HttpString CF_CONNECTING_IP = new HttpString("CF-Connecting-IP");
    private static final HttpString CF_RAY = new HttpString("Cf-Ray");
    private static final DateTimeFormatter TIME_LOCAL =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneId.systemDefault());
    private static final String STOP = new String("stop");

    private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(65_536);
    private final AtomicLong dropped = new AtomicLong();
    private final Writer writer;
    private final Thread thread;
    private volatile long cachedSecond = -1;
    private volatile String cachedTime = "";

    private AccessLog(OutputStream out) {
        this.writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
        this.thread = new Thread(this::drain, "access-log");
        thread.setDaemon(true);
        thread.start();
    }

    /** "stdout", "off" (null is returned) or a file path, appended to. */
    public static AccessLog open(String target) throws IOException {
        if (target == null || target.equals("off")) {
            return null;
        }
        if (target.equals("stdout")) {
            return new AccessLog(new FileOutputStream(FileDescriptor.out));
        }
        Path file = Path.of(target);
        return new AccessLog(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE));
    }

    /** Wraps a handler so every exchange it starts is logged when it completes. */
    public HttpHandler wrap(HttpHandler next) {
        ExchangeCompletionListener listener = (exchange, nextListener) -> {
            try {
                record(exchange);
            } finally {
                nextListener.proceed();
            }
        };
        return exchange -> {
            exchange.addExchangeCompleteListener(listener);
            next.handleRequest(exchange);
        };
    }

    private void record(HttpServerExchange exchange) {
        HeaderMap in = exchange.getRequestHeaders();
        String query = exchange.getQueryString();
        String uri = query.isEmpty() ? exchange.getRequestURI() : exchange.getRequestURI() + "?" + query;
        String line = AccessLogLine.format(exchange.getSourceAddress(), in.getFirst(CF_CONNECTING_IP), timeLocal(),
                exchange.getRequestMethod().toString(), uri, exchange.getProtocol().toString(),
                exchange.getStatusCode(), exchange.getResponseBytesSent(), in.getFirst(Headers.REFERER),
                in.getFirst(Headers.USER_AGENT), in.getFirst(CF_RAY));
        if (!queue.offer(line)) {
            dropped.incrementAndGet();
        }
    }

    private String timeLocal() {
        long now = System.currentTimeMillis() / 1000;
        if (now != cachedSecond) {
            cachedTime = TIME_LOCAL.format(Instant.ofEpochSecond(now));
            cachedSecond = now;
        }
        return cachedTime;
    }

    public long dropped() {
        return dropped.get();
    }

    private void drain() {
        try {
            while (true) {
                String line = queue.poll();
                if (line == null) {
                    writer.flush();
                    line = queue.poll(1, TimeUnit.SECONDS);
                    if (line == null) {
                        continue;
                    }
                }
                if (line == STOP) {
                    writer.flush();
                    return;
                }
                writer.write(line);
                writer.write('\n');
            }
        } catch (IOException | InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes what is queued, then stops the writer thread. */
    @Override
    public void close() throws IOException {
        try {
            queue.put(STOP);
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.flush();
    }
}
