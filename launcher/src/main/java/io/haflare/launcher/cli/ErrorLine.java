package io.haflare.launcher.cli;

/** A failure as the one line the user sees on stderr: what is wrong and how to fix it, never a stack trace. */
public final class ErrorLine {
    private ErrorLine() {
    }

    public static String of(String message) {
        return "haflare-node: " + message;
    }

    public static String of(Throwable e) {
        return of(e.getMessage());
    }
}
