package io.haflare.launcher.cli;

/** A wrong flag value, path or address: reported as one line and exit code 2. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
