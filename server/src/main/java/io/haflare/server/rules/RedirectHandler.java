package io.haflare.server.rules;

import io.haflare.server.http.PlainResponses;
import io.haflare.server.http.SiteRequest;
import io.haflare.server.path.RequestPath;
import io.haflare.server.path.PathEncoding;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/**
 * Applies the release's _redirects: a redirect answers at once with a relative (or the rule's absolute)
 * Location and keeps the query string; a forced 200 rewrite replaces the site path and carries on, an
 * unforced one is kept for {@link io.haflare.server.path.CleanUrlHandler} to apply if the path finds nothing.
 */
public final class RedirectHandler implements HttpHandler {
    private final HttpHandler next;

    public RedirectHandler(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        SiteRequest request = SiteRequest.of(exchange);
        RedirectRules rules = request.release.rules().redirects();
        RedirectRules.Outcome outcome = rules.isEmpty() || request.hidden ? null : rules.match(request.path);
        if (outcome == null) {
            next.handleRequest(exchange);
            return;
        }
        if (outcome.isRewrite()) {
            RequestPath.Result rewritten = RequestPath.parse(outcome.path());
            if (!(rewritten instanceof RequestPath.Safe safe)) {
                PlainResponses.send(exchange, 400, "400 Bad Request: rewrite target is not a safe path");
                return;
            }
            if (outcome.forced()) {
                request.path = safe.path();
            } else {
                request.rewriteWhenMissing = safe.path();
            }
            next.handleRequest(exchange);
            return;
        }
        String location = outcome.location(PathEncoding.encodeRawQuery(exchange.getQueryString()));
        exchange.setStatusCode(outcome.status());
        exchange.getResponseHeaders().put(Headers.LOCATION, location);
        if (outcome.status() == 301 || outcome.status() == 308) {
            // cacheable without a date by default, and browsers keep such a redirect for good: an hour, as the
            // clean-URL redirect, so that a rule put there by mistake and removed does not outlive the fix
            exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "public, max-age=3600");
        }
        exchange.endExchange();
    }
}
