package io.haflare.server.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * How many connections the process's open-file limit leaves room for. At that limit accept() fails with "Too
 * many open files", and XNIO stops accepting for a back-off that grows to 30 s, without a word at WARNING: the
 * health probe and cloudflared wait with everyone else, and files not yet in memory cannot be opened, so they
 * answer 404. Kept under the limit, a full server leaves new connections in the listen backlog until one
 * closes, as nginx does at worker_connections.
 */
public final class OpenFileLimit {
    /** Descriptors left for the JVM's own files, the access log, the agent's pipes and files being read. */
    static final long RESERVED = 128;
    static final int MIN_CONNECTIONS = 16;

    private OpenFileLimit() {
    }

    /** The soft limit on open files (the JVM raises it to the hard one at start), or empty where unknown. */
    public static OptionalLong current() {
        try {
            return parse(Files.readString(Path.of("/proc/self/limits")));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty(); // not Linux: nothing to go by, the configured number stands
        }
    }

    /** The soft "Max open files" of a /proc/PID/limits text; empty when unlimited or absent. */
    static OptionalLong parse(String limits) {
        for (String line : limits.split("\n")) {
            if (line.startsWith("Max open files")) {
                String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                try {
                    return OptionalLong.of(Long.parseLong(soft));
                } catch (NumberFormatException e) {
                    return OptionalLong.empty(); // "unlimited"
                }
            }
        }
        return OptionalLong.empty();
    }

    /** The open-file limit that leaves room for this many connections. */
    public static long neededFor(int connections) {
        return 2L * connections + RESERVED;
    }

    /** At most configured; fewer when the limit is lower, since a connection sending a large file holds two. */
    public static int connectionsAllowed(int configured, OptionalLong openFiles) {
        if (openFiles.isEmpty()) {
            return configured;
        }
        long room = Math.max(MIN_CONNECTIONS, (openFiles.getAsLong() - RESERVED) / 2);
        return (int) Math.min(configured, room);
    }
}
