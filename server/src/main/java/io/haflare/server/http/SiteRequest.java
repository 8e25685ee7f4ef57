package io.haflare.server.http;

import io.haflare.server.files.ByteRange;
import io.haflare.server.files.Release;
import io.haflare.server.files.Representation;
import io.haflare.server.files.Resolution;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;

/** What the handler chain has learned about one request so far; one attachment instead of several. */
public final class SiteRequest {
    private static final AttachmentKey<SiteRequest> KEY = AttachmentKey.create(SiteRequest.class);

    /** Decoded, normalized site path; a 200 rewrite from _redirects replaces it. */
    public String path;
    /** An unforced 200 rewrite's path, which replaces {@link #path} only if that resolves to nothing. */
    public String rewriteWhenMissing;
    /** A dotfile or dot-directory: resolves to not found whatever exists. */
    public boolean hidden;
    /** The release this request is served from, fixed at its start. */
    public Release release;
    public Resolution resolution;
    public Representation representation;
    public ByteRange range = ByteRange.FULL;
    /** Body bytes {@link DirectResponse} wrote, which Undertow does not count; -1 when Undertow wrote the response. */
    public long directBodyBytes = -1;

    public static SiteRequest start(HttpServerExchange exchange, String path, boolean hidden, Release release) {
        SiteRequest request = new SiteRequest();
        request.path = path;
        request.hidden = hidden;
        request.release = release;
        exchange.putAttachment(KEY, request);
        return request;
    }

    public static SiteRequest of(HttpServerExchange exchange) {
        return exchange.getAttachment(KEY);
    }

    /** The response's body bytes sent, however it was written: for the access log and the metrics. */
    public static long bodyBytesSent(HttpServerExchange exchange) {
        SiteRequest request = of(exchange);
        return request != null && request.directBodyBytes >= 0 ? request.directBodyBytes : exchange.getResponseBytesSent();
    }
}
