package io.haflare.server.files;

import io.haflare.server.http.SiteRequest;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/**
 * Picks the precompressed sibling (.br, .zst, .gz) or the on-the-fly gzip the client accepts best. Its
 * Content-Encoding and Vary are put by {@link HeadersHandler}, or written by {@link HitHandler}.
 */
public final class VariantHandler implements HttpHandler {
    private final HttpHandler next;

    public VariantHandler(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        SiteRequest request = SiteRequest.of(exchange);
        FileEntry entry = request.resolution.entry();
        Representation chosen = entry.identity();
        if (entry.hasVariants()) {
            Encoding encoding = AcceptEncoding.choose(
                    exchange.getRequestHeaders().getFirst(Headers.ACCEPT_ENCODING), entry.available());
            if (encoding != null) {
                chosen = entry.representation(encoding);
            }
        }
        request.representation = chosen;
        next.handleRequest(exchange);
    }
}
