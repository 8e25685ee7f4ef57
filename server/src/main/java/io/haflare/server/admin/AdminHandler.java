package io.haflare.server.admin;

import io.haflare.server.http.ExactMethod;
import io.haflare.server.path.RequestPath;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The admin API on its own listener: GET /health (200/503 with reasons), GET /status, GET /metrics,
 * POST /drain, POST /resume. With a token configured every request must carry "Authorization: Bearer <token>".
 * Web pages are kept out ({@link BrowserGuard}): a cross-site POST is refused, and without a token so is a
 * Host that is not a loopback name.
 */
public final class AdminHandler implements HttpHandler {
    private final NodeView node;
    private final byte[] token;
    private final String listenName;
    private final byte[] page = StatusPage.html();

    /**
     * @param token the bearer token, or null when the listener is loopback-only and open to local users
     * @param listenName the host the listener was given (admin.listen), a name its own clients may use
     */
    public AdminHandler(NodeView node, String token, String listenName) {
        this.node = node;
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.listenName = listenName;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this); // status gathering and drain touch files and locks
            return;
        }
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        if (token != null && !authorized(exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION))) {
            exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer");
            json(exchange, 401, Map.of("error", "missing or wrong bearer token (see admin.tokenFile)"));
            return;
        }
        String path = RequestPath.asSent(exchange);
        HttpString method = exchange.getRequestMethod();
        boolean get = ExactMethod.is(method, Methods.GET) || ExactMethod.is(method, Methods.HEAD);
        boolean post = ExactMethod.is(method, Methods.POST);
        String host = exchange.getRequestHeaders().getFirst(Headers.HOST);
        if (token == null && !BrowserGuard.isLoopbackHost(host, listenName)) {
            json(exchange, 403, Map.of("error", "without a token the admin API answers only to "
                    + BrowserGuard.loopbackNames(listenName) + ", not to Host '" + host + "' (a web page reaching it by a name"
                    + " of its own is refused); set admin.tokenFile to use another name"));
            return;
        }
        if (post && BrowserGuard.isCrossSite(exchange.getRequestHeaders().getFirst("Sec-Fetch-Site"),
                exchange.getRequestHeaders().getFirst(Headers.ORIGIN), host)) {
            json(exchange, 403, Map.of("error", "a request from another site's web page may not drain or resume"
                    + " the node; use `haflare-node drain` / `haflare-node resume`, or curl -X POST"));
            return;
        }
        switch (path) {
            case "/", "/index.html" -> {
                if (!get) {
                    notAllowed(exchange, "GET, HEAD");
                    return;
                }
                exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html; charset=utf-8")
                        .put(Headers.CONTENT_SECURITY_POLICY, "default-src 'none'; script-src 'unsafe-inline';"
                                + " style-src 'unsafe-inline'; connect-src 'self'");
                exchange.getResponseSender().send(java.nio.ByteBuffer.wrap(page));
            }
            case "/health" -> {
                if (!get) {
                    notAllowed(exchange, "GET, HEAD");
                    return;
                }
                NodeView.Health health = node.health();
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("healthy", health.healthy());
                body.put("reasons", health.reasons());
                json(exchange, health.healthy() ? 200 : 503, body);
            }
            case "/status" -> {
                if (!get) {
                    notAllowed(exchange, "GET, HEAD");
                    return;
                }
                if ("text".equals(exchange.getQueryParameters().getOrDefault("format", new java.util.ArrayDeque<>()).peekFirst())) {
                    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
                    exchange.getResponseSender().send(node.statusText());
                    return;
                }
                send(exchange, 200, node.statusJson());
            }
            case "/metrics" -> {
                if (!get) {
                    notAllowed(exchange, "GET, HEAD");
                    return;
                }
                exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
                exchange.getResponseSender().send(node.metricsText());
            }
            case "/drain", "/resume" -> {
                if (!post) {
                    notAllowed(exchange, "POST");
                    return;
                }
                if (path.equals("/drain")) {
                    node.drain();
                } else {
                    node.resume();
                }
                send(exchange, 200, node.statusJson());
            }
            default -> json(exchange, 404, Map.of("error", "no such admin endpoint: " + path,
                    "endpoints", java.util.List.of("GET /", "GET /health", "GET /status", "GET /metrics", "POST /drain", "POST /resume")));
        }
    }

    private boolean authorized(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) { // schemes are case-insensitive
            return false;
        }
        return MessageDigest.isEqual(token, header.substring(7).strip().getBytes(StandardCharsets.UTF_8));
    }

    private static void notAllowed(HttpServerExchange exchange, String allow) {
        exchange.getResponseHeaders().put(Headers.ALLOW, allow);
        json(exchange, 405, Map.of("error", "method not allowed; use " + allow));
    }

    private static void json(HttpServerExchange exchange, int status, Map<String, ?> body) {
        send(exchange, status, Json.write(body));
    }

    private static void send(HttpServerExchange exchange, int status, String json) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json; charset=utf-8");
        exchange.getResponseSender().send(json + "\n");
    }
}
