package io.haflare.server.files;

import io.haflare.server.http.SiteRequest;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.DateUtils;
import io.undertow.util.Headers;

import java.util.Date;

/** A single byte range → 206 with Content-Range, unsatisfiable → 416; If-Range that does not match → whole body. */
public final class RangeHandler implements HttpHandler {
    private final HttpHandler next;

    public RangeHandler(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String header = exchange.getRequestHeaders().getFirst(Headers.RANGE);
        if (header == null) {
            next.handleRequest(exchange);
            return;
        }
        SiteRequest request = SiteRequest.of(exchange);
        Representation rep = request.representation;
        if (!ifRangeHolds(exchange.getRequestHeaders().getFirst(Headers.IF_RANGE), rep,
                request.resolution.entry().lastModifiedMillis())) {
            next.handleRequest(exchange);
            return;
        }
        ByteRange range = ByteRange.parse(header, rep.size());
        if (range == ByteRange.UNSATISFIABLE) {
            exchange.setStatusCode(416);
            exchange.getResponseHeaders().put(Headers.CONTENT_RANGE, "bytes */" + rep.size());
            exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0);
            exchange.endExchange();
            return;
        }
        if (range.isPartial()) {
            request.range = range;
            exchange.setStatusCode(206);
            exchange.getResponseHeaders().put(Headers.CONTENT_RANGE,
                    "bytes " + range.start() + "-" + range.end() + "/" + rep.size());
        }
        next.handleRequest(exchange);
    }

    /** If-Range: a strong ETag that matches, or exactly the Last-Modified date; absent means yes. */
    private static boolean ifRangeHolds(String ifRange, Representation rep, long lastModifiedMillis) {
        if (ifRange == null) {
            return true;
        }
        String value = ifRange.strip();
        if (value.startsWith("\"") || value.startsWith("W/")) {
            return value.equals(rep.etag());
        }
        Date date = DateUtils.parseDate(value);
        return date != null && date.getTime() / 1000 == lastModifiedMillis / 1000;
    }
}
