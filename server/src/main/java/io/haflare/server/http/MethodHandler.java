package io.haflare.server.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;

/**
 * A static site answers GET and HEAD; anything else is 405 with Allow. A request whose body has no length
 * a server can know (a Transfer-Encoding that does not end with chunked) is 400 and the connection closed,
 * as RFC 9112 (6.3) requires: Undertow would read such a body until the client closes, answering nothing more.
 */
public final class MethodHandler implements HttpHandler {
    private final HttpHandler next;

    public MethodHandler(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (!exchange.isRequestComplete() && !bodyLengthKnown(exchange)) {
            exchange.setPersistent(false);
            PlainResponses.send(exchange, 400, "400 Bad Request: Transfer-Encoding must end with chunked");
            return;
        }
        HttpString method = exchange.getRequestMethod();
        if (ExactMethod.is(method, Methods.GET) || ExactMethod.is(method, Methods.HEAD)) {
            next.handleRequest(exchange);
            return;
        }
        exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
        PlainResponses.send(exchange, 405, "405 Method Not Allowed");
    }

    private static boolean bodyLengthKnown(HttpServerExchange exchange) {
        String codings = exchange.getRequestHeaders().getLast(Headers.TRANSFER_ENCODING);
        if (codings == null) {
            return true; // Content-Length (Undertow refuses both at once)
        }
        int comma = codings.lastIndexOf(',');
        return codings.substring(comma + 1).trim().equalsIgnoreCase("chunked");
    }
}
