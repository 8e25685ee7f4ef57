package io.haflare.server.files;

import io.haflare.server.http.SiteRequest;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;

/**
 * Puts the representation's headers on the response: the precomputed set (Content-Type, Cache-Control,
 * security defaults, _headers), the encoding's and the validators. Runs before the conditional step because a
 * 304 must carry the same ETag, Cache-Control and Vary as the 200 it stands for (RFC 9110 §15.4.5).
 */
public final class HeadersHandler implements HttpHandler {
    private final HttpHandler next;

    public HeadersHandler(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        SiteRequest request = SiteRequest.of(exchange);
        apply(exchange.getResponseHeaders(), request.resolution.headers(), request.resolution.entry(),
                request.representation);
        next.handleRequest(exchange);
    }

    /** The headers every response of {@code rep} carries; {@link HitHead} serializes the same. */
    static void apply(HeaderMap target, ResponseHeaders headers, FileEntry entry, Representation rep) {
        headers.applyTo(target);
        if (entry.hasVariants()) {
            target.put(Headers.VARY, "Accept-Encoding");
        }
        if (rep.encoding() != Encoding.IDENTITY) {
            target.put(Headers.CONTENT_ENCODING, rep.encoding().token());
        }
        target.put(Headers.ETAG, rep.etag());
        target.put(Headers.LAST_MODIFIED, entry.lastModifiedHttp());
        target.put(Headers.ACCEPT_RANGES, "bytes");
    }
}
