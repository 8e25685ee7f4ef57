package io.haflare.server.files;

import io.haflare.server.http.SiteRequest;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;

/**
 * Puts the representation's headers on the response: the precomputed set (Content-Type, Cache-Control,
 * security defaults, _headers) and the validators. Runs before the conditional step because a 304 must
 * carry the same ETag, Cache-Control and Vary as the 200 it stands for (RFC 9110 §15.4.5).
 */
public final class HeadersHandler implements HttpHandler {
    private final HttpHandler next;

    public HeadersHandler(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        SiteRequest request = SiteRequest.of(exchange);
        HeaderMap headers = exchange.getResponseHeaders();
        request.resolution.headers().applyTo(headers);
        headers.put(Headers.ETAG, request.representation.etag());
        headers.put(Headers.LAST_MODIFIED, request.resolution.entry().lastModifiedHttp());
        headers.put(Headers.ACCEPT_RANGES, "bytes");
        next.handleRequest(exchange);
    }
}
