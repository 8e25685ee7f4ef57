package io.haflare.launcher.agent;

import io.haflare.launcher.lock.ExclusiveLock;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One node with a tunnel per data directory. The lock is held for the node's life and released by the system
 * however the node ends (SIGKILL included), so the agent pid file names an orphan only when the lock can be
 * taken: a second node started by mistake beside the service would otherwise stop the running node's agent
 * as "left by a previous run".
 */
public final class DataDirLock implements AutoCloseable {
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

    private final ExclusiveLock lock;

    private DataDirLock(ExclusiveLock lock) {
        this.lock = lock;
    }

    public static DataDirLock acquire(Path dataDir) throws IOException, Held {
        Path file = dataDir.resolve("node.lock");
        ExclusiveLock lock = ExclusiveLock.tryAcquire(file).orElseThrow(() -> new Held(readPid(file)));
        lock.channel().truncate(0);
        byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
        lock.channel().write(ByteBuffer.wrap(pid), 0);
        return new DataDirLock(lock);
    }

    private static Optional<Long> readPid(Path file) {
        try {
            return Optional.of(Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty(); // being written, or not ours: the message goes without the pid
        }
    }

    @Override
    public void close() throws IOException {
        lock.close();
    }
}
