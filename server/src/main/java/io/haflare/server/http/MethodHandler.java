package io.haflare.server.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;

/** A static site answers GET and HEAD; anything else is 405 with Allow. */
public final class MethodHandler implements HttpHandler {
    private final HttpHandler next;

    public MethodHandler(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.getRequestMethod().equals(Methods.GET) || exchange.getRequestMethod().equals(Methods.HEAD)) {
            next.handleRequest(exchange);
            return;
        }
        exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
        PlainResponses.send(exchange, 405, "405 Method Not Allowed");
    }
}
