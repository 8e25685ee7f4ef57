package io.haflare.server;

/** The server could not start for a reason the operator can fix; the message says what and how. */
public final class ServerStartException extends Exception {
    public ServerStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
