package io.haflare.launcher.status;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/** "drained" in the data dir: a drain survives a restart of the node, so a reboot during maintenance stays out. */
public final class DrainFile {
    private final Path file;

    public DrainFile(Path dataDir) {
        this.file = dataDir.resolve("drained");
    }

    public boolean isSet() {
        return Files.exists(file);
    }

    /** What the mark says ("drained at 2026-11-27T07:50:00Z"), when the node is drained. */
    public Optional<String> mark() {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            return isSet() ? Optional.of("since an unreadable mark, " + file) : Optional.empty();
        }
    }

    public void set() {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, "drained at " + Instant.now() + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the drain in " + file, e);
        }
    }

    public void clear() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + file, e);
        }
    }
}
