package io.haflare.launcher.config;

/** A configuration value that cannot be used: the message names the key, where it came from, and the fix. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
