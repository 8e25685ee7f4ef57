package io.haflare.launcher.agent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's command line, exactly as the cloudflared contract page gives it for a token-based tunnel:
 * {@code tunnel --no-autoupdate --metrics 127.0.0.1:<port> --grace-period <g> [agent args] run}. The token
 * never appears here: it travels in the child's environment.
 */
public final class AgentCommand {
    private AgentCommand() {
    }

    public static List<String> build(String binary, int metricsPort, Duration gracePeriod, List<String> agentArgs) {
        List<String> command = new ArrayList<>();
        command.add(binary);
        command.add("tunnel");
        command.add("--no-autoupdate");
        command.add("--metrics");
        command.add("127.0.0.1:" + metricsPort);
        command.add("--grace-period");
        command.add(gracePeriod.toSeconds() + "s");
        command.addAll(agentArgs);
        command.add("run");
        return command;
    }

    /** Null when the extra arguments are acceptable, else what is wrong and how to fix it. */
    public static String problemWith(List<String> agentArgs) {
        for (String arg : agentArgs) {
            String name = arg.startsWith("--") ? arg.substring(2) : arg.startsWith("-") ? arg.substring(1) : null;
            if (name == null) {
                continue;
            }
            int eq = name.indexOf('=');
            String flag = eq < 0 ? name : name.substring(0, eq);
            if (flag.equals("token")) {
                return "agent argument --token would put the tunnel token in the process list: remove it and give"
                        + " the token through TUNNEL_TOKEN, TUNNEL_TOKEN_FILE or tunnel.tokenFile";
            }
            if (flag.equals("metrics") || flag.equals("grace-period") || flag.equals("no-autoupdate")) {
                return "agent argument --" + flag + " is set by haflare-node itself: remove it"
                        + (flag.equals("grace-period") ? " and set tunnel.gracePeriod instead" : "");
            }
        }
        if (agentArgs.contains("run")) {
            return "agent arguments must not contain 'run': haflare-node adds it after them";
        }
        return null;
    }
}
