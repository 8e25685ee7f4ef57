package io.haflare.server.rules;

/** A line of _headers or _redirects that was ignored, and why: reported to the operator, never fatal. */
public record RuleProblem(String file, int line, String message) {
    @Override
    public String toString() {
        return file + ":" + line + ": " + message;
    }
}
