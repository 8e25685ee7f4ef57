package io.haflare.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/** The node's real main in a child JVM (this test classpath), with its output captured line by line. */
public final class NodeProcess implements AutoCloseable {
    private static final Pattern SERVING = Pattern.compile("serving .* on http://([^ ]+):(\\d+)");

    private final Process process;
    public final List<String> stdout = new CopyOnWriteArrayList<>();
    public final List<String> stderr = new CopyOnWriteArrayList<>();

    private final List<Thread> pumps;

    private NodeProcess(Process process) {
        this.process = process;
        this.pumps = List.of(pump(process.getInputStream(), stdout), pump(process.getErrorStream(), stderr));
    }

    public static NodeProcess start(Path workingDir, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(HaflareNode.class.getName());
        command.addAll(List.of(args));
        try {
            return new NodeProcess(new ProcessBuilder(command).directory(workingDir.toFile()).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Thread pump(java.io.InputStream in, List<String> lines) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits for the "serving ... on http://host:port" line and returns the port. */
    public int awaitServing() {
        await().atMost(Duration.ofSeconds(20)).until(() -> servingPort() > 0 || !process.isAlive());
        int port = servingPort();
        if (port <= 0) {
            throw new AssertionError("node did not start serving; stderr: " + stderr);
        }
        return port;
    }

    private int servingPort() {
        for (String line : stderr) {
            Matcher m = SERVING.matcher(line);
            if (m.find()) {
                return Integer.parseInt(m.group(2));
            }
        }
        return -1;
    }

    /** Waits for the process to exit on its own and returns its exit code. */
    public int awaitExit(Duration limit) {
        try {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("node still running after " + limit + "; stderr: " + stderr);
            }
            for (Thread pump : pumps) {
                pump.join(5000); // everything the process wrote before exiting is captured
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public String errText() {
        return String.join("\n", stderr);
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
    }
}
