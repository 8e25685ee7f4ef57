package io.haflare.server.http;

import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Wraps a handler so an action runs, once the exchange is complete, for every exchange it starts that a
 * predicate picks. One wrapper for all that is recorded of a request (metrics, access log): each level of
 * handler on the request path is one more call for the JIT to inline into Undertow's root handler call.
 */
public final class OnCompletion {
    private OnCompletion() {
    }

    public static HttpHandler wrap(HttpHandler next, Predicate<HttpServerExchange> picked,
                                   Consumer<HttpServerExchange> action) {
        ExchangeCompletionListener listener = (exchange, nextListener) -> {
            try {
                action.accept(exchange);
            } finally {
                nextListener.proceed();
            }
        };
        return exchange -> {
            if (picked.test(exchange)) {
                exchange.addExchangeCompleteListener(listener);
            }
            next.handleRequest(exchange);
        };
    }
}
