package io.haflare.launcher.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The common start, `haflare-node [run|serve] [--flag value]...`, parsed without picocli. Building picocli's
 * model costs ~75 ms of a start on one CPU (annotation proxies, its converter table initialising java.time),
 * a quarter of the start budget. Anything this parser is unsure of (help, an unknown flag, `@file`, `--`,
 * a repeated flag, a value that looks like a flag) makes it step aside, and picocli parses the line and
 * words any error. NodeOptions' annotations stay the one definition: PlainStartTest checks that every flag
 * picocli knows parses here to the same values.
 */
public final class PlainStart {
    private final NodeOptions options;
    private final boolean tunnel;

    private PlainStart(NodeOptions options, boolean tunnel) {
        this.options = options;
        this.tunnel = tunnel;
    }

    /** The parsed start, or null when picocli must parse these arguments. */
    public static PlainStart parse(String[] args) {
        int first = 0;
        boolean tunnel = true;
        if (args.length > 0 && (args[0].equals("run") || args[0].equals("serve"))) {
            tunnel = args[0].equals("run");
            first = 1;
        }
        NodeOptions options = new NodeOptions();
        Set<String> seen = new HashSet<>();
        for (int i = first; i < args.length; i++) {
            String arg = args[i];
            int equals = arg.indexOf('=');
            String name = equals > 0 ? arg.substring(0, equals) : arg;
            if (!name.startsWith("--") || name.equals("--") || (!seen.add(name) && !name.equals("--agent-arg"))) {
                return null;
            }
            if (name.equals("--no-gzip") || name.equals("--no-tunnel")) {
                if (equals > 0) {
                    return null;
                }
                options.noGzip |= name.equals("--no-gzip");
                options.noTunnel |= name.equals("--no-tunnel");
                continue;
            }
            String value;
            if (equals > 0) {
                value = arg.substring(equals + 1);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("-")) {
                value = args[++i];
            } else {
                return null;
            }
            if (!set(options, name, value)) {
                return null;
            }
        }
        return new PlainStart(options, tunnel);
    }

    private static boolean set(NodeOptions options, String name, String value) {
        switch (name) {
            case "--config" -> {
                try {
                    options.config = Path.of(value);
                } catch (InvalidPathException e) {
                    return false;
                }
            }
            case "--site" -> options.site = value;
            case "--listen" -> options.listen = value;
            case "--access-log" -> options.accessLog = value;
            case "--cloudflared" -> options.cloudflared = value;
            case "--token-file" -> options.tokenFile = value;
            case "--agent-arg" -> {
                if (options.agentArgs == null) {
                    options.agentArgs = new ArrayList<>();
                }
                options.agentArgs.add(value);
            }
            case "--data-dir" -> options.dataDir = value;
            case "--log-format" -> options.logFormat = value;
            case "--admin" -> options.admin = value;
            case "--admin-token-file" -> options.adminTokenFile = value;
            default -> {
                return false;
            }
        }
        return true;
    }

    NodeOptions options() {
        return options;
    }

    boolean tunnel() {
        return tunnel;
    }

    /** Runs the node exactly as `run` (or `serve`) would after picocli parsed the same line. */
    public int run(Path workingDir, Map<String, String> env) throws Exception {
        return RunCommand.run(options, workingDir, env, tunnel);
    }
}
