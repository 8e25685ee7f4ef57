package io.haflare.launcher.agent;

/**
 * Tells a configuration failure (no point restarting) from a crash (restart with backoff), by the exit code
 * and the words the contract page records: exit 255 with "token is not valid" or a usage message.
 */
public final class AgentFailure {
    private AgentFailure() {
    }

    /** The fix to suggest when the exit is a configuration failure, else null. */
    public static String configurationFix(int exitCode, String lastErrorLine) {
        if (exitCode != 255) {
            return null;
        }
        String line = lastErrorLine == null ? "" : lastErrorLine;
        if (line.contains("token is not valid")) {
            return "the tunnel token was rejected: copy it again from the Cloudflare dashboard"
                    + " (Networks > Tunnels > your tunnel > install command) into the token file or TUNNEL_TOKEN";
        }
        if (line.contains("requires the ID or name of the tunnel")) {
            return "the agent got no token: set TUNNEL_TOKEN, TUNNEL_TOKEN_FILE or tunnel.tokenFile";
        }
        return "the agent refused its command line (exit 255): check tunnel.agentArgs / --agent-arg";
    }
}
