package io.haflare.launcher.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Remembers the running agent as "pid start-time" in the data dir, so a node that was killed (and could not
 * stop its agent) ends that orphan at its next start. The start time makes sure a reused pid is left alone.
 */
public final class AgentPidFile {
    private final Path file;

    public AgentPidFile(Path dataDir) {
        this.file = dataDir.resolve("cloudflared.pid");
    }

    public Path path() {
        return file;
    }

    public void write(ProcessHandle agent) throws IOException {
        long start = agent.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, agent.pid() + " " + start + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public void clear() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a stale file is checked by start time next run
        }
    }

    /** Ends the agent a previous run left behind, when it is still that very process. */
    public void reapStale(Duration stopBound, Consumer<String> log) {
        Optional<ProcessHandle> orphan = readLive();
        orphan.ifPresent(p -> {
            log.accept("found agent pid " + p.pid() + " left by a previous run; stopping it (SIGTERM)");
            p.destroy();
            try {
                p.onExit().get(stopBound.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                log.accept("agent pid " + p.pid() + " did not exit within " + stopBound.toSeconds() + " s; killing it");
                p.destroyForcibly();
            }
        });
        clear();
    }

    Optional<ProcessHandle> readLive() {
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            String[] parts = Files.readString(file, StandardCharsets.UTF_8).strip().split("\\s+");
            long pid = Long.parseLong(parts[0]);
            long start = Long.parseLong(parts[1]);
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().startInstant().map(Instant::toEpochMilli).orElse(-1L) == start);
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // unreadable or malformed: nothing we can safely stop
        }
    }
}
