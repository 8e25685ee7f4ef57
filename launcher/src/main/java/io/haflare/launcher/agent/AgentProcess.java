package io.haflare.launcher.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One running cloudflared: started with the token in its environment (never in argv), its output read line
 * by line into the node's log, stopped with SIGTERM (ProcessHandle.destroy) or SIGKILL. ProcessBuilder and
 * ProcessHandle give pid, start time and onExit directly, which is all this needs (commons-exec would add a
 * watchdog layer on top of the same calls).
 */
public final class AgentProcess {
    private final Process process;
    private final Thread reader;

    private AgentProcess(Process process, Thread reader) {
        this.process = process;
        this.reader = reader;
    }

    /**
     * @param onLine receives each output line after redaction
     * @param onExit receives the exit code once the process is gone and its output fully read
     */
    public static AgentProcess start(List<String> command, TunnelToken token, AgentOutput output,
                                     Consumer<AgentOutput.Line> onLine, Consumer<Integer> onExit) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.remove("TUNNEL_TOKEN_FILE");
        env.put("TUNNEL_TOKEN", token.reveal());
        Process process = builder.start();
        process.getOutputStream().close(); // the agent reads nothing from stdin
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    onLine.accept(output.accept(line));
                }
            } catch (IOException ignored) {
                // the pipe closed with the process
            }
            try {
                onExit.accept(process.waitFor());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "agent-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        return new AgentProcess(process, reader);
    }

    public long pid() {
        return process.pid();
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    /**
     * SIGTERM: the agent unregisters from the edge and drains for its grace period. Through ProcessHandle, not
     * Process.destroy(), which also closes our end of the agent's output and loses its shutdown lines.
     */
    public void terminate() {
        process.toHandle().destroy();
    }

    /** SIGKILL, for an agent that did not stop within its bound. */
    public void kill() {
        process.toHandle().destroyForcibly();
    }

    public boolean isAlive() {
        return process.isAlive();
    }
}
