package io.haflare.launcher.log;

import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The node's own log and the agent's, one line per event on stderr (stdout is the access log): text
 * ("time LEVEL component message") or JSON ({"time","level","component","message"}) for log shippers.
 */
public final class NodeLog {
    private static final PrintStream OUT = System.err;
    private static volatile boolean json;

    /** "text" or "json"; anything else is a configuration error the caller reports. */
    public static void format(String format) {
        json = format.equals("json");
    }

    private NodeLog() {
    }

    public static void info(String component, String message) {
        write("INF", component, message);
    }

    public static void warn(String component, String message) {
        write("WRN", component, message);
    }

    public static void error(String component, String message) {
        write("ERR", component, message);
    }

    /** A line with a level given as text ("INF", "WRN", "ERR", "DBG", "FTL"), as the agent's lines carry it. */
    public static void log(String level, String component, String message) {
        write(level, component, message);
    }

    private static void write(String level, String component, String message) {
        String time = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        if (json) {
            java.util.Map<String, String> line = new java.util.LinkedHashMap<>();
            line.put("time", time);
            line.put("level", level);
            line.put("component", component);
            line.put("message", message);
            OUT.println(io.haflare.server.admin.Json.write(line));
        } else {
            OUT.println(time + " " + level + " " + component + " " + message);
        }
    }

    /** Undertow and XNIO announce themselves at INFO through java.util.logging; keep their warnings only. */
    public static void quietLibraries() {
        for (String name : new String[] {"org.xnio", "org.jboss", "io.undertow"}) {
            java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
            logger.setLevel(java.util.logging.Level.WARNING);
            KEEP.add(logger); // JUL holds loggers weakly: a collected logger would forget its level
        }
    }

    private static final java.util.List<java.util.logging.Logger> KEEP = new java.util.ArrayList<>();
}
