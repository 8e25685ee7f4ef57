package io.haflare.server.files;

import io.haflare.server.http.SiteRequest;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.DateUtils;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.Methods;

import java.util.Date;

/** Answers If-None-Match / If-Modified-Since with 304 and failed If-Match / If-Unmodified-Since with 412. */
public final class ConditionalHandler implements HttpHandler {
    private final HttpHandler next;

    public ConditionalHandler(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        HeaderMap in = exchange.getRequestHeaders();
        String ifMatch = in.getFirst(Headers.IF_MATCH);
        String ifNoneMatch = in.getFirst(Headers.IF_NONE_MATCH);
        String ifModifiedSince = in.getFirst(Headers.IF_MODIFIED_SINCE);
        String ifUnmodifiedSince = in.getFirst(Headers.IF_UNMODIFIED_SINCE);
        if (ifMatch == null && ifNoneMatch == null && ifModifiedSince == null && ifUnmodifiedSince == null) {
            next.handleRequest(exchange);
            return;
        }
        SiteRequest request = SiteRequest.of(exchange);
        boolean getOrHead = exchange.getRequestMethod().equals(Methods.GET)
                || exchange.getRequestMethod().equals(Methods.HEAD);
        Preconditions.Outcome outcome = Preconditions.evaluate(getOrHead, request.representation.etag(),
                request.resolution.entry().lastModifiedMillis() / 1000, ifMatch, seconds(ifUnmodifiedSince),
                ifNoneMatch, seconds(ifModifiedSince), System.currentTimeMillis() / 1000);
        switch (outcome) {
            case PROCEED -> next.handleRequest(exchange);
            case NOT_MODIFIED -> {
                exchange.setStatusCode(304);
                exchange.getResponseHeaders().remove(Headers.CONTENT_TYPE);
                exchange.endExchange();
            }
            case PRECONDITION_FAILED -> {
                exchange.setStatusCode(412);
                exchange.getResponseHeaders().remove(Headers.CONTENT_ENCODING);
                exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0);
                exchange.endExchange();
            }
        }
    }

    private static Long seconds(String httpDate) {
        if (httpDate == null) {
            return null;
        }
        Date date = DateUtils.parseDate(httpDate);
        return date == null ? null : date.getTime() / 1000;
    }
}
