package io.haflare.server.http;

import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

import java.util.function.Consumer;

/** Wraps a handler so an action runs for every exchange it starts, once the exchange is complete. */
public final class OnCompletion {
    private OnCompletion() {
    }

    public static HttpHandler wrap(HttpHandler next, Consumer<HttpServerExchange> action) {
        ExchangeCompletionListener listener = (exchange, nextListener) -> {
            try {
                action.accept(exchange);
            } finally {
                nextListener.proceed();
            }
        };
        return exchange -> {
            exchange.addExchangeCompleteListener(listener);
            next.handleRequest(exchange);
        };
    }
}
