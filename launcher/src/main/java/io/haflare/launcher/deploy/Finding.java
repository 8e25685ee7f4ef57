package io.haflare.launcher.deploy;

/** One thing a validation found: a problem refuses the release, a warning is only reported. */
public record Finding(boolean problem, String text) {
    static Finding problem(String text) {
        return new Finding(true, text);
    }

    static Finding warning(String text) {
        return new Finding(false, text);
    }

    @Override
    public String toString() {
        return (problem ? "problem: " : "warning: ") + text;
    }
}
