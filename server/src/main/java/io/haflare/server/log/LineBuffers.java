package io.haflare.server.log;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Per-thread byte buffers for log lines: a serving thread appends under its own (uncontended) lock, the
 * writer thread swaps each buffer out and writes it. No allocation per line and no hand-off per line.
 * Lines are built as ASCII bytes (the access log escapes everything else) and copied in as one array.
 * The locks are monitors rather than ReentrantLocks: the writer runs 100 times a second, so C2 compiles
 * it only 40-50 s into a load, on the serving CPU; with AbstractQueuedSynchronizer (and FileChannel) inlined
 * that one compilation took 190 ms, long enough to show in the p99 of the run it fell into.
 */
final class LineBuffers {
    private static final int INITIAL = 64 * 1024;

    private final int maxBytesPerThread;
    private final List<Buffer> buffers = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Buffer> local = ThreadLocal.withInitial(this::register);
    private final AtomicLong dropped = new AtomicLong();
    /** The writer, while it waits for a line after finding nothing to write. */
    private volatile Thread waitingWriter;

    private static final class Buffer {
        final AsciiLine line = new AsciiLine();
        byte[] bytes = new byte[INITIAL];
        int length;
        byte[] spare = new byte[INITIAL]; // written out by the writer, then handed back: no garbage per swap
    }

    LineBuffers(int maxBytesPerThread) {
        this.maxBytesPerThread = maxBytesPerThread;
    }

    private Buffer register() {
        Buffer buffer = new Buffer();
        buffers.add(buffer);
        return buffer;
    }

    /** A cleared line owned by the calling thread, to format one line into. */
    AsciiLine lineBuilder() {
        return local.get().line.clear();
    }

    /** Appends the calling thread's line builder, plus a newline, to its buffer. */
    void commitLine() {
        Buffer buffer = local.get();
        AsciiLine line = buffer.line;
        int length = line.length();
        int needed = length + 1;
        synchronized (buffer) {
            if (buffer.length + needed > buffer.bytes.length) {
                if (buffer.length + needed > maxBytesPerThread) {
                    dropped.incrementAndGet(); // the writer is far behind: lose a line, never block serving
                    return;
                }
                int size = (int) Math.min(maxBytesPerThread, Math.max(2L * buffer.bytes.length, buffer.length + needed));
                buffer.bytes = java.util.Arrays.copyOf(buffer.bytes, size);
            }
            System.arraycopy(line.bytes(), 0, buffer.bytes, buffer.length, length);
            buffer.bytes[buffer.length + length] = '\n';
            buffer.length += needed;
        }
        Thread writer = waitingWriter;
        if (writer != null) {
            waitingWriter = null;
            LockSupport.unpark(writer);
        }
    }

    /**
     * Parks the calling writer until a line is committed, so an idle node's log thread never wakes. It may
     * return early (an unpark to close, or spuriously); the caller loops.
     */
    void awaitLine() {
        waitingWriter = Thread.currentThread();
        // a line committed before the writer registered saw no one to wake: look once more, then park
        if (isEmpty()) {
            LockSupport.park(this);
        }
        waitingWriter = null;
    }

    private boolean isEmpty() {
        for (Buffer buffer : buffers) {
            synchronized (buffer) {
                if (buffer.length > 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Writes every thread's pending lines; returns true when anything was written. */
    boolean writeTo(OutputStream out) throws IOException {
        boolean wrote = false;
        for (Buffer buffer : buffers) {
            byte[] pending;
            int length;
            synchronized (buffer) {
                if (buffer.length == 0) {
                    continue;
                }
                pending = buffer.bytes;
                length = buffer.length;
                buffer.bytes = buffer.spare != null ? buffer.spare : new byte[INITIAL];
                buffer.spare = null;
                buffer.length = 0;
            }
            out.write(pending, 0, length);
            synchronized (buffer) {
                buffer.spare = pending.length > INITIAL * 4 ? new byte[INITIAL] : pending;
            }
            wrote = true;
        }
        return wrote;
    }

    long dropped() {
        return dropped.get();
    }
}
