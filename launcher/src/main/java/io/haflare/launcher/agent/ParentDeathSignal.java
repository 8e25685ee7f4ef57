package io.haflare.launcher.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * cloudflared does not exit when its parent dies, and a node that is killed (OOM killer, kill -9, a JVM
 * crash) would leave an agent connected to the edge, answering visitors with 502 (under systemd's
 * KillMode=mixed until TimeoutStopSec). On Linux the agent is therefore started through util-linux's
 * {@code setpriv --pdeathsig TERM --}, which asks the kernel to send it SIGTERM when the node's thread that
 * started it ends: the agent then unregisters and drains as on any stop. setpriv execs the agent, so the pid
 * and the process are the agent's own. Without setpriv the pidfile reaping at the next start remains.
 */
public final class ParentDeathSignal {
    private static final List<Path> CANDIDATES = List.of(Path.of("/usr/bin/setpriv"), Path.of("/bin/setpriv"));

    private final Path setpriv;
    private final boolean linux;

    private ParentDeathSignal(Path setpriv, boolean linux) {
        this.setpriv = setpriv;
        this.linux = linux;
    }

    /** The setpriv this machine has and that knows --pdeathsig (util-linux 2.33+), or none. */
    public static ParentDeathSignal detect() {
        boolean linux = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).startsWith("linux");
        for (Path candidate : linux ? CANDIDATES : List.<Path>of()) {
            if (Files.isExecutable(candidate) && works(candidate)) {
                return new ParentDeathSignal(candidate, true);
            }
        }
        return new ParentDeathSignal(null, linux);
    }

    /** What to tell the operator when a Linux node cannot have its agent stop with it; null otherwise. */
    public String missingWarning() {
        return setpriv != null || !linux ? null : "no setpriv with --pdeathsig (util-linux 2.33+): should this node be"
                + " killed, its agent stays connected until the next start ends it; install util-linux to have it"
                + " stop with the node";
    }

    /** The command that starts the agent with the parent-death signal set, or the agent's own when unavailable. */
    public List<String> wrap(List<String> agentCommand) {
        if (setpriv == null) {
            return agentCommand;
        }
        List<String> wrapped = new ArrayList<>(List.of(setpriv.toString(), "--pdeathsig", "TERM", "--"));
        wrapped.addAll(agentCommand);
        return wrapped;
    }

    private static boolean works(Path setpriv) {
        try {
            Process p = new ProcessBuilder(setpriv.toString(), "--pdeathsig", "TERM", "--", "true")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
