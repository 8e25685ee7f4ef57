package io.haflare.server.path;

import io.haflare.server.files.Resolution;
import io.haflare.server.http.PlainResponses;
import io.haflare.server.http.SiteRequest;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/**
 * Resolves the site path to a file with clean URLs: "/about/" → about/index.html, "/about" → 301 to
 * "/about/" when that directory has an index (relative Location, query kept), "/about" → about.html.
 * Cache hits stay on the IO thread; misses go to a worker, which may read the disk. A request that says
 * {@code Cache-Control: no-cache} (a browser's hard reload, the node's health probe) is checked against the
 * disk, so it sees a removed or changed file at once rather than after the cache's half second.
 */
public final class CleanUrlHandler implements HttpHandler {
    private final HttpHandler found;
    private final HttpHandler notFound;

    public CleanUrlHandler(HttpHandler found, HttpHandler notFound) {
        this.found = found;
        this.notFound = notFound;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        SiteRequest request = SiteRequest.of(exchange);
        long now = System.nanoTime();
        Resolution resolution = request.hidden || revalidates(exchange) ? null : request.release.cached(request.path, now);
        if (resolution == null) {
            if (exchange.isInIoThread()) {
                exchange.dispatch(this);
                return;
            }
            resolution = request.release.resolve(request.path, request.hidden, now);
        }
        request.resolution = resolution;
        switch (resolution.kind()) {
            case FILE -> found.handleRequest(exchange);
            case NOT_FOUND -> {
                String rewrite = request.rewriteWhenMissing;
                if (rewrite == null) {
                    notFound.handleRequest(exchange);
                    return;
                }
                // a _redirects rewrite that yields to the site's own files: the path found none, so it applies
                request.rewriteWhenMissing = null;
                request.path = rewrite;
                handleRequest(exchange);
            }
            case UNREADABLE -> PlainResponses.send(exchange, 403, "403 Forbidden"); // logged by the release
            case ADD_SLASH -> {
                String query = exchange.getQueryString();
                String location = PathEncoding.encode(request.path) + "/" + (query.isEmpty() ? ""
                        : "?" + PathEncoding.encodeRawQuery(query));
                exchange.setStatusCode(301);
                exchange.getResponseHeaders().put(Headers.LOCATION, location);
                exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "public, max-age=3600");
                exchange.endExchange();
            }
        }
    }

    private static boolean revalidates(HttpServerExchange exchange) {
        String cacheControl = exchange.getRequestHeaders().getFirst(Headers.CACHE_CONTROL);
        return cacheControl != null && cacheControl.contains("no-cache");
    }
}
