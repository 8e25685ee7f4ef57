package io.haflare.launcher.agent;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the agent's log lines ("2026-11-24T15:56:45Z INF message key=value ..."): the level for the node's
 * log, the last error line for status, and the edge locations of registered connections. Any occurrence
 * of the token is replaced before a line goes anywhere.
 */
public final class AgentOutput {
    private static final Pattern LINE = Pattern.compile("^\\S+Z (DBG|INF|WRN|ERR|FTL) (.*)$");
    private static final Pattern REGISTERED = Pattern.compile("Registered tunnel connection connIndex=(\\d+) .*location=(\\S+)");
    private static final Pattern CONNECTOR = Pattern.compile("Generated Connector ID: ([0-9a-fA-F-]{36})");
    private static final Pattern UNREGISTERED = Pattern.compile("(?:Unregistered tunnel connection|Lost connection with the edge) connIndex=(\\d+)");

    /** One parsed line: level (INF when the line has none, as for plain stderr text) and message. */
    public record Line(String level, String message) {}

    private final String secret;
    private final Map<Integer, String> locations = new TreeMap<>();
    private volatile String lastError;
    private volatile String connectorId;
    private boolean unreachableOriginSaid;

    public AgentOutput(String secret) {
        this.secret = secret;
    }

    public synchronized Line accept(String raw) {
        String text = secret == null || secret.isEmpty() ? raw : raw.replace(secret, "[REDACTED]");
        Matcher m = LINE.matcher(text);
        Line line = m.matches() ? new Line(m.group(1), m.group(2)) : new Line("INF", text);
        if (line.level().equals("ERR") || line.level().equals("FTL") || !m.matches() && !text.isBlank()) {
            lastError = line.message();
        }
        Matcher registered = REGISTERED.matcher(line.message());
        if (registered.find()) {
            locations.put(Integer.parseInt(registered.group(1)), registered.group(2));
        }
        Matcher connector = CONNECTOR.matcher(line.message());
        if (connector.find()) {
            connectorId = connector.group(1);
        }
        Matcher gone = UNREGISTERED.matcher(line.message());
        if (gone.find()) {
            locations.remove(Integer.parseInt(gone.group(1)));
        }
        return line;
    }

    /**
     * True the first time this run of the agent logs that it cannot reach its origin (the contract's
     * `ERR error="Unable to reach the origin service..."`): one hint per run, not one per visitor.
     */
    public synchronized boolean firstUnreachableOrigin(Line line) {
        if (unreachableOriginSaid || !line.level().equals("ERR")
                || !line.message().contains("Unable to reach the origin service")) {
            return false;
        }
        unreachableOriginSaid = true;
        return true;
    }

    /** The agent's last error line (or non-log stderr text), for status and the exit reason. */
    public String lastError() {
        return lastError;
    }

    /** The connector id this agent run generated (each replica has its own), or null before it says. */
    public String connectorId() {
        return connectorId;
    }

    /** Edge locations of the connections registered now, by connection index. */
    public synchronized List<String> locations() {
        return locations.values().stream().distinct().toList();
    }

    public synchronized void reset() {
        locations.clear();
    }
}
