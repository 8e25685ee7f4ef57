package io.haflare.server.log;

import io.haflare.server.http.SiteRequest;
import io.haflare.server.http.SupportedRequestHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;

import java.io.Closeable;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.ZoneId;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes one line per finished request. Serving threads format into their own buffer (no allocation, no
 * wake-up); one background thread writes every buffer out each {@value #FLUSH_MILLIS} ms, like nginx's
 * buffered access log, so a slow terminal or disk never stalls a response. When a round finds nothing to
 * write, the thread waits for the next line instead of a timer: an idle node does not wake up 100 times a
 * second. Past 8 MiB waiting per thread a line is dropped and counted rather than letting memory grow.
 * A log file that is moved away or removed (logrotate's default) is opened again at its path within a
 * second, with no signal or postrotate script; a truncated one (copytruncate) needs nothing, being appended to.
 */
public final class AccessLog implements Closeable {
    private static final HttpString CF_CONNECTING_IP = new HttpString("CF-Connecting-IP");
    private static final HttpString CF_RAY = new HttpString("Cf-Ray");
    static final int FLUSH_MILLIS = 10;
    private static final long MOVE_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final LineBuffers lines = new LineBuffers(8 * 1024 * 1024);
    private volatile boolean closing;
    /** Replaced by the writer thread only; close uses it after that thread has ended. */
    private OutputStream out;
    /** The log file and the identity (device, inode) of the one open, or null for stdout and where unknown. */
    private final Path file;
    private Object fileKey;
    private long movedCheckedAt = System.nanoTime();
    private final Thread thread;
    private volatile long cachedSecond = -1;
    private volatile String cachedTime = "";


    private final java.util.function.Consumer<String> warn;
    private long droppedReported;

    private AccessLog(OutputStream out, Path file, java.util.function.Consumer<String> warn) {
        this.out = out;
        this.file = file;
        this.fileKey = file == null ? null : fileKey(file);
        this.warn = warn;
        this.thread = new Thread(this::drain, "access-log");
        thread.setDaemon(true);
        thread.start();
    }

    /** "stdout", "off" (null is returned) or a file path, appended to; warn hears about dropped lines. */
    public static AccessLog open(String target, java.util.function.Consumer<String> warn) throws IOException {
        if (target == null || target.equals("off")) {
            return null;
        }
        if (target.equals("stdout")) {
            return new AccessLog(new FileOutputStream(FileDescriptor.out), null, warn);
        }
        // a FileOutputStream, like stdout's, rather than Files.newOutputStream's stream over a FileChannel: the
        // writer's one call site then stays simple, and the JIT compiles it small (see LineBuffers)
        Path file = Path.of(target);
        return new AccessLog(new FileOutputStream(file.toFile(), true), file, warn);
    }

    private static Object fileKey(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null; // gone already: no identity to keep
        }
    }

    /** Logs a completed exchange; on the thread that completed it. */
    public void record(HttpServerExchange exchange) {
        HeaderMap in = exchange.getRequestHeaders();
        String query = exchange.getQueryString();
        String uri = query.isEmpty() ? exchange.getRequestURI() : exchange.getRequestURI() + "?" + query;
        AccessLogLine.formatInto(lines.lineBuilder(), exchange.getSourceAddress(), in.getFirst(CF_CONNECTING_IP),
                timeLocal(), exchange.getRequestMethod().toString(), uri, SupportedRequestHandler.versionSent(exchange),
                exchange.getStatusCode(), SiteRequest.bodyBytesSent(exchange), in.getFirst(Headers.REFERER),
                in.getFirst(Headers.USER_AGENT), in.getFirst(CF_RAY));
        lines.commitLine();
    }

    /** Logs a request Undertow refused while parsing it (see ParserRefusals); on the IO thread. */
    public void refused() {
        AccessLogLine.refusedInto(lines.lineBuilder(), timeLocal());
        lines.commitLine();
    }

    private String timeLocal() {
        long now = System.currentTimeMillis() / 1000;
        if (now != cachedSecond) {
            cachedTime = LogTime.format(now, LocalZone.ZONE);
            cachedSecond = now;
        }
        return cachedTime;
    }

    private void drain() {
        boolean failing = false;
        while (!closing) {
            try {
                boolean wrote = writeQueued();
                if (failing && wrote) {
                    warn.accept("access log " + target() + " is written again");
                    failing = false;
                }
                if (wrote) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(FLUSH_MILLIS));
                } else {
                    lines.awaitLine();
                }
            } catch (IOException e) {
                // disk full, closed pipe: serving goes on; the lines of each failed write are lost, and the
                // writer tries again each second rather than giving up on the log for good
                if (!failing) {
                    warn.accept("access log " + target() + " cannot be written (" + e.getMessage()
                            + "); serving goes on, its lines are lost until it can be, tried each second");
                    failing = true;
                }
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
            }
        }
        try {
            writeQueued();
        } catch (IOException e) {
            // closing: what could not be written is lost with the target
        }
    }

    private String target() {
        return file == null ? "stdout" : file.toString();
    }

    /** Returns whether anything was written. */
    private boolean writeQueued() throws IOException {
        reopenIfMoved();
        boolean wrote = lines.writeTo(out);
        if (wrote) {
            out.flush();
        }
        long dropped = lines.dropped();
        if (dropped != droppedReported) {
            warn.accept("access log fell behind: " + (dropped - droppedReported) + " lines dropped ("
                    + dropped + " in all); write it to a faster target or switch it off");
            droppedReported = dropped;
        }
        return wrote;
    }

    /**
     * At most once a second: when the path no longer names the open file (moved or removed, as logrotate does),
     * opens it again there. Where files have no identity (fileKey is null, as on Windows, which cannot move an
     * open file anyway) there is nothing to compare.
     */
    private void reopenIfMoved() throws IOException {
        long now = System.nanoTime();
        if (fileKey == null || now - movedCheckedAt < MOVE_CHECK_NANOS) {
            return;
        }
        movedCheckedAt = now;
        if (fileKey.equals(fileKey(file))) {
            return;
        }
        OutputStream reopened;
        try {
            reopened = new FileOutputStream(file.toFile(), true);
        } catch (IOException e) {
            warn.accept("access log " + file + " was moved away and cannot be opened again (" + e.getMessage()
                    + "); lines go on to the moved file");
            fileKey = null; // said once; no more checks
            return;
        }
        out.flush();
        out.close();
        out = reopened;
        fileKey = fileKey(file);
    }

    /** Looked up with the first line, not at start-up: reading the zone database takes milliseconds. */
    private static final class LocalZone {
        static final ZoneId ZONE = ZoneId.systemDefault();
    }

    Thread.State writerState() {
        return thread.getState();
    }

    /** Writes what is queued, then stops the writer thread. */
    @Override
    public void close() throws IOException {
        closing = true;
        LockSupport.unpark(thread);
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.flush();
        if (file != null) { // stdout is not ours to close
            out.close();
        }
    }
}
