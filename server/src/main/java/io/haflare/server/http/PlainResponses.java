package io.haflare.server.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/** Short text answers for errors the site itself does not render (400, 405, 414, 416 ...). */
public final class PlainResponses {
    private PlainResponses() {
    }

    public static void send(HttpServerExchange exchange, int status, String text) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders()
                .put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8")
                .put(Headers.CACHE_CONTROL, "no-store")
                .put(Headers.X_CONTENT_TYPE_OPTIONS, "nosniff");
        exchange.getResponseSender().send(text + "\n");
    }
}
