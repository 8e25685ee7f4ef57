package io.haflare.server.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;

/** A static site answers GET and HEAD; anything else is 405 with Allow. */
public final class MethodHandler implements HttpHandler {
    private final HttpHandler next;

    public MethodHandler(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        HttpString method = exchange.getRequestMethod();
        if (ExactMethod.is(method, Methods.GET) || ExactMethod.is(method, Methods.HEAD)) {
            next.handleRequest(exchange);
            return;
        }
        exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
        PlainResponses.send(exchange, 405, "405 Method Not Allowed");
    }
}
