package io.haflare.launcher.agent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One node with a tunnel per data directory. The lock is held for the node's life and released by the system
 * however the node ends (SIGKILL included), so the agent pid file names an orphan only when the lock can be
 * taken: a second node started by mistake beside the service would otherwise stop the running node's agent
 * as "left by a previous run".
 */
public final class DataDirLock implements AutoCloseable {
    /** Locked past the pid the file holds, so that Windows, which enforces locks, still lets others read it. */
    private static final long LOCKED_BYTE = Integer.MAX_VALUE;

    /** Another live process holds the directory; its pid when it could be read. */
    public static final class Held extends Exception {
        private final Optional<Long> pid;

        Held(Optional<Long> pid) {
            super("the data directory is in use");
            this.pid = pid;
        }

        public Optional<Long> pid() {
            return pid;
        }
    }

    private final FileChannel channel;

    private DataDirLock(FileChannel channel) {
        this.channel = channel;
    }

    public static DataDirLock acquire(Path dataDir) throws IOException, Held {
        FileChannel channel = FileChannel.open(dataDir.resolve("node.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock(LOCKED_BYTE, 1, false);
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this very process
        }
        if (lock == null) {
            Optional<Long> holder = readPid(channel);
            channel.close();
            throw new Held(holder);
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        return new DataDirLock(channel);
    }

    private static Optional<Long> readPid(FileChannel channel) {
        try {
            ByteBuffer text = ByteBuffer.allocate(32);
            channel.read(text, 0);
            String pid = new String(text.array(), 0, text.position(), StandardCharsets.US_ASCII).strip();
            return Optional.of(Long.parseLong(pid));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty(); // being written, or not ours: the message goes without the pid
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
