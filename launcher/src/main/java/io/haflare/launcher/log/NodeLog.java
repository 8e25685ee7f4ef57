package io.haflare.launcher.log;

import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The node's own log: one line per event, "time LEVEL component message", on stderr (stdout is the access log). */
public final class NodeLog {
    private static final PrintStream OUT = System.err;

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
        OUT.println(Instant.now().truncatedTo(ChronoUnit.MILLIS) + " " + level + " " + component + " " + message);
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
