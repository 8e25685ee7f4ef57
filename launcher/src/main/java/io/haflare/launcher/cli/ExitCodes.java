package io.haflare.launcher.cli;

/** The node's exit codes, as documented in the README. */
public final class ExitCodes {
    public static final int OK = 0;
    /** Something failed while running. */
    public static final int RUNTIME_FAILURE = 1;
    /** The command line or configuration is wrong: the message says which value and how to fix it. */
    public static final int USAGE = 2;

    private ExitCodes() {
    }
}
