package io.haflare.launcher.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * cloudflared processes on this machine that no node supervises: most often Cloudflare's own service, set up
 * with `cloudflared service install TOKEN` before the node was. One that runs the node's tunnel keeps this
 * replica in rotation while the node has stopped its own agent for an unhealthy site, so visitors get 502s.
 * Read from /proc (Linux): a process's command line and cgroup are readable by all, its environment by its
 * owner and root; inside the packaged service (ProtectProc=invisible) other processes are not seen at all.
 */
public final class OtherAgents {
    private static final Pattern UNIT = Pattern.compile("/([^/\\s]+\\.service)\\s*$", Pattern.MULTILINE);
    private static final Pattern CONTAINER = Pattern.compile("(docker|libpod)[-/]([0-9a-f]{12,64})");
    private static final Pattern TUNNEL_ID = Pattern.compile("[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}");
    private static final Pattern INTERPRETER = Pattern.compile("(ba|da|z)?sh|python[0-9.]*|perl");

    /**
     * One such process: its tunnel when its token could be read (null when not), and what started it, when its
     * cgroup says: a systemd unit, or a container ("a Docker container 4f1c2a3b5d6e").
     */
    public record Found(long pid, String tunnelId, String unit, String container) {
        /** What it means for a node of tunnelId, and what to do; the token is never part of it. */
        public String describe(String ownTunnelId) {
            String by = unit != null ? ", " + unit : container != null ? ", " + container : "";
            String which = "another cloudflared (pid " + pid + by + ")";
            String stop = unit != null ? "stop and disable it: systemctl disable --now " + unit
                    : container != null ? "stop it and keep it from starting again (" + (container.contains("Podman")
                    ? "podman" : "docker") + " stop, and a restart policy of no)" : "stop it";
            String harm = "it keeps this replica in rotation while the node has stopped its own agent for an"
                    + " unhealthy site, and visitors sent to it get 502s";
            return ownTunnelId.equals(tunnelId)
                    ? which + " runs this node's tunnel outside the node: " + harm + "; " + stop
                    : which + " runs on this machine outside the node; if it serves this tunnel, " + harm + "; " + stop;
        }
    }

    private OtherAgents() {
    }

    /**
     * The unsupervised agents on this machine that may serve tunnelId: those of that tunnel, and those whose
     * tunnel cannot be told. Agents whose parent is a node are left out, and so is the one the node of dataDir
     * left behind when it was killed: that node stops it at its next start.
     */
    public static List<Found> find(String tunnelId, Path dataDir) {
        long orphan = new AgentPidFile(dataDir).readLive().map(ProcessHandle::pid).orElse(-1L);
        List<Found> found = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(p -> {
            if (p.pid() == orphan) {
                return;
            }
            List<String> argv = argv(p.pid());
            if (!isAgent(argv) || p.parent().map(parent -> isNode(argv(parent.pid()))).orElse(false)) {
                return;
            }
            String tunnel = tunnelOf(argv, environment(p.pid()));
            if (tunnel == null || tunnel.equals(tunnelId)) {
                String cgroup = read(Path.of("/proc", "" + p.pid(), "cgroup"));
                found.add(new Found(p.pid(), tunnel, unitOf(cgroup), containerOf(cgroup)));
            }
        });
        return found;
    }

    /** cloudflared running a tunnel: the program, or the script a shell or interpreter runs, is cloudflared. */
    static boolean isAgent(List<String> argv) {
        if (argv.isEmpty() || !argv.contains("tunnel")) {
            return false;
        }
        String program = fileName(argv.get(0));
        return program.startsWith("cloudflared") || INTERPRETER.matcher(program).matches() && argv.size() > 1
                && fileName(argv.get(1)).startsWith("cloudflared");
    }

    /** A haflare-node process: its launcher, its JAR or its main class. */
    static boolean isNode(List<String> argv) {
        return argv.stream().anyMatch(a -> fileName(a).startsWith("haflare-node") || a.startsWith("io.haflare."));
    }

    /**
     * The tunnel id of the token it was given (--token, --token-file, TUNNEL_TOKEN, TUNNEL_TOKEN_FILE), or of the
     * tunnel it runs by id; null when it cannot be told (a tunnel run by name).
     */
    static String tunnelOf(List<String> argv, Map<String, String> env) {
        String token = null;
        String tokenFile = env.get("TUNNEL_TOKEN_FILE");
        for (int i = 0; i < argv.size(); i++) {
            String arg = argv.get(i).replaceFirst("^--", "-");
            String next = i + 1 < argv.size() ? argv.get(i + 1) : null;
            if (arg.equals("-token")) {
                token = next;
            } else if (arg.startsWith("-token=")) {
                token = arg.substring("-token=".length());
            } else if (arg.equals("-token-file")) {
                tokenFile = next;
            } else if (arg.startsWith("-token-file=")) {
                tokenFile = arg.substring("-token-file=".length());
            }
        }
        if (token == null && tokenFile != null) {
            token = read(Path.of(tokenFile)).strip();
        }
        if (token == null) {
            token = env.get("TUNNEL_TOKEN");
        }
        if (token != null && !token.isBlank()) {
            return TunnelToken.tunnelIdOf(token.strip());
        }
        // a tunnel run by its id (`cloudflared tunnel run 6ff42ae2-...`): a name tells nothing
        int run = argv.lastIndexOf("run");
        String named = run >= 0 && run + 1 < argv.size() ? argv.get(run + 1) : "";
        return TUNNEL_ID.matcher(named).matches() ? named.toLowerCase(java.util.Locale.ROOT) : null;
    }

    /** The systemd service a process runs in, from /proc/PID/cgroup ("0::/system.slice/cloudflared.service"). */
    static String unitOf(String cgroup) {
        Matcher m = UNIT.matcher(cgroup);
        return m.find() ? m.group(1) : null;
    }

    /** The container it runs in: home servers often run it so (docker run cloudflare/cloudflared ... --token). */
    static String containerOf(String cgroup) {
        Matcher m = CONTAINER.matcher(cgroup);
        return m.find() ? "a " + (m.group(1).equals("libpod") ? "Podman" : "Docker") + " container "
                + m.group(2).substring(0, 12) : null;
    }

    private static List<String> argv(long pid) {
        String cmdline = read(Path.of("/proc", "" + pid, "cmdline"));
        return cmdline.isEmpty() ? List.of() : Arrays.asList(cmdline.split("\0"));
    }

    private static Map<String, String> environment(long pid) {
        Map<String, String> env = new HashMap<>();
        for (String entry : read(Path.of("/proc", "" + pid, "environ")).split("\0")) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                env.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return env;
    }

    private static String fileName(String path) {
        return path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
    }

    /** A file's text, or "" when it cannot be read (another user's, gone, or not Linux). */
    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
