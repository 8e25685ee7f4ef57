package io.haflare.server.http;

import io.haflare.server.files.Representation;
import io.haflare.server.files.Resolution;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/** Status 404 with the nearest 404.html of the release, or a plain body when the site has none. */
public final class NotFoundHandler implements HttpHandler {
    private static final byte[] PLAIN = "404 Not Found\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        Resolution resolution = SiteRequest.of(exchange).resolution;
        exchange.setStatusCode(404);
        resolution.headers().applyTo(exchange.getResponseHeaders());
        if (resolution.entry() == null) {
            exchange.getResponseSender().send(java.nio.ByteBuffer.wrap(PLAIN));
            return;
        }
        Representation page = resolution.entry().identity();
        if (page.inMemory()) {
            exchange.getResponseSender().send(page.slice(0, page.size()));
        } else {
            FileTransfer.start(exchange, page.file(), 0, page.size());
        }
    }
}
