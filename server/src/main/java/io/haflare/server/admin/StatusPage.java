package io.haflare.server.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The self-contained status page (no external assets): it polls /status and draws the last hour. */
final class StatusPage {
    private StatusPage() {
    }

    static byte[] html() {
        try (InputStream in = StatusPage.class.getResourceAsStream("/io/haflare/server/admin/status.html")) {
            if (in == null) {
                throw new IllegalStateException("status.html missing from the server module");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
