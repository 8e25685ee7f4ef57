package io.haflare.launcher.deploy;

/**
 * A deploy, rollback or listing that cannot go on: the message says what and how to fix it. A usage error
 * (a bad source, id or sites directory) exits 2; anything else 1.
 */
public final class DeployException extends RuntimeException {
    private final boolean usage;

    public DeployException(String message, boolean usage) {
        super(message);
        this.usage = usage;
    }

    public boolean usage() {
        return usage;
    }
}
