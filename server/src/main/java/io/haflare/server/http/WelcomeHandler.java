package io.haflare.server.http;

import io.haflare.server.path.RequestPath;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/** Serves the embedded welcome page at "/" when the node was started without a site. */
public final class WelcomeHandler implements HttpHandler {
    private final ByteBuffer page;

    public WelcomeHandler() {
        try (InputStream in = WelcomeHandler.class.getResourceAsStream("/io/haflare/server/welcome.html")) {
            if (in == null) {
                throw new IllegalStateException("welcome.html missing from the server module");
            }
            byte[] bytes = in.readAllBytes();
            page = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        String path = RequestPath.asSent(exchange);
        if (!path.equals("/") && !path.equals("/index.html")) {
            PlainResponses.send(exchange, 404, "404 Not Found");
            return;
        }
        exchange.getResponseHeaders()
                .put(Headers.CONTENT_TYPE, "text/html; charset=utf-8")
                .put(Headers.CACHE_CONTROL, "no-cache")
                .put(Headers.X_CONTENT_TYPE_OPTIONS, "nosniff")
                .put(Headers.REFERRER_POLICY, "strict-origin-when-cross-origin");
        exchange.getResponseSender().send(page.duplicate());
    }
}
