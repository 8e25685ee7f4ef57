package io.haflare.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * The node's real main in a child JVM (this test classpath). Its output goes to files rather than pipes:
 * the JDK drains a child's pipes when it exits, racing with readers, and lines get lost.
 */
public final class NodeProcess implements AutoCloseable {
    private static final Pattern SERVING = Pattern.compile("serving .* on http://([^ ]+):(\\d+)");

    private final Process process;
    private final Path out;
    private final Path err;

    private NodeProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    public static NodeProcess start(Path workingDir, String... args) {
        return start(workingDir, java.util.Map.of(), args);
    }

    /** Starts the node with extra environment variables (TUNNEL_TOKEN, fake agent switches ...). */
    public static NodeProcess start(Path workingDir, java.util.Map<String, String> env, String... args) {
        return start(workingDir, env, List.of(), args);
    }

    /** Starts the node under an open-file limit: the shell's ulimit, then exec, so the pid is the node's. */
    public static NodeProcess startWithOpenFileLimit(Path workingDir, int limit, String... args) {
        return start(workingDir, java.util.Map.of(), List.of("bash", "-c", "ulimit -n " + limit + " && exec \"$@\"",
                "bash"), args);
    }

    /**
     * Starts the node bound by file permissions as any service user is. Root (as CI runs) loses the two
     * capabilities that let it read and search whatever it likes; the test classpath stays root's to read.
     */
    public static NodeProcess startBoundByPermissions(Path workingDir, String... args) {
        List<String> prefix = System.getProperty("user.name").equals("root")
                ? List.of("setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--") : List.of();
        return start(workingDir, java.util.Map.of(), prefix, args);
    }

    private static NodeProcess start(Path workingDir, java.util.Map<String, String> env, List<String> prefix,
                                     String... args) {
        List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(HaflareNode.class.getName());
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("node-", ".out");
            Path err = Files.createTempFile("node-", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().remove("TUNNEL_TOKEN");
            builder.environment().remove("TUNNEL_TOKEN_FILE");
            builder.environment().put("HAFLARE_ADMIN_LISTEN", "127.0.0.1:0"); // never the shared default port in tests
            builder.environment().putAll(env);
            Process process = builder.start();
            return new NodeProcess(process, out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<String> stdout() {
        return lines(out);
    }

    public List<String> stderr() {
        return lines(err);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the "serving ... on http://host:port" line and returns the port. */
    public int awaitServing() {
        await().atMost(Duration.ofSeconds(20)).until(() -> servingPort() > 0 || !process.isAlive());
        int port = servingPort();
        if (port <= 0) {
            throw new AssertionError("node did not start serving; stderr: " + stderr());
        }
        return port;
    }

    private int servingPort() {
        for (String line : stderr()) {
            Matcher m = SERVING.matcher(line);
            if (m.find()) {
                return Integer.parseInt(m.group(2));
            }
        }
        return -1;
    }

    /** Waits for the "admin API on http://host:port" line and returns the port. */
    public int awaitAdmin() {
        String line = awaitLog("admin API on http://", Duration.ofSeconds(20));
        Matcher m = Pattern.compile("admin API on http://[^ ]+:(\\d+)").matcher(line);
        if (!m.find()) {
            throw new AssertionError("no admin port in: " + line);
        }
        return Integer.parseInt(m.group(1));
    }

    /** Waits for the process to exit on its own and returns its exit code. */
    public int awaitExit(Duration limit) {
        try {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("node still running after " + limit + "; stderr: " + stderr());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public String errText() {
        return String.join("\n", stderr());
    }

    /** The first stderr line containing text, with its timestamp, waiting up to the deadline. */
    public String awaitLog(String text, Duration limit) {
        await().atMost(limit).until(() -> stderr().stream().anyMatch(l -> l.contains(text)));
        return stderr().stream().filter(l -> l.contains(text)).findFirst().orElseThrow();
    }

    /** Milliseconds since the epoch of a node log line ("2026-11-24T15:56:45.123Z INF ..."). */
    public static long timeOf(String logLine) {
        return java.time.Instant.parse(logLine.substring(0, logLine.indexOf(' '))).toEpochMilli();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, as systemd or `kill` sends it. */
    public void terminate() {
        process.destroy();
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        } catch (IOException | InterruptedException e) {
            // temp files are left behind at worst
        }
    }
}
