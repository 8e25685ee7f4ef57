package io.haflare.launcher.lock;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * An exclusive lock on a file, held until closed or until the process ends, however it ends: the system releases
 * it, so a lock left by a killed process is never stale. The byte locked lies past anything the file holds, so
 * that on Windows, which enforces locks, others can still read what the file says (the holder's pid).
 */
public final class ExclusiveLock implements AutoCloseable {
    private static final long LOCKED_BYTE = Integer.MAX_VALUE;

    private final FileChannel channel;

    private ExclusiveLock(FileChannel channel) {
        this.channel = channel;
    }

    /** The lock, or empty when another process, or this one, holds it. */
    public static Optional<ExclusiveLock> tryAcquire(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock(LOCKED_BYTE, 1, false);
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this very process
        }
        if (lock == null) {
            channel.close();
            return Optional.empty();
        }
        return Optional.of(new ExclusiveLock(channel));
    }

    /** The locked file, open for writing what the holder wants others to read. */
    public FileChannel channel() {
        return channel;
    }

    @Override
    public void close() throws IOException {
        channel.close(); // releases the lock
    }
}
