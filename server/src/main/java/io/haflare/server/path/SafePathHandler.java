package io.haflare.server.path;

import io.haflare.server.files.Release;
import io.haflare.server.http.PlainResponses;
import io.haflare.server.http.SiteRequest;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

import java.util.concurrent.RejectedExecutionException;

/**
 * First step of the chain: refuses over-long and hostile paths, decodes the rest once, and fixes the
 * release the request will be served from. Runs with URL decoding switched off in Undertow, so it sees
 * the path exactly as the client sent it.
 */
public final class SafePathHandler implements HttpHandler {
    private final SiteRoot root;
    private final int maxUrlLength;
    private final HttpHandler next;

    public SafePathHandler(SiteRoot root, int maxUrlLength, HttpHandler next) {
        this.root = root;
        this.maxUrlLength = maxUrlLength;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        SiteRequest request = SiteRequest.of(exchange);
        if (request == null) {
            String raw = RequestPath.asSent(exchange);
            if (raw.length() + exchange.getQueryString().length() > maxUrlLength) {
                PlainResponses.send(exchange, 414, "414 URI Too Long");
                return;
            }
            if (RequestPath.hasControlCharacter(exchange.getQueryString())) {
                // Undertow lets them through with the characters browsers send raw ({ } |): refused as nginx does
                PlainResponses.send(exchange, 400, "400 Bad Request: control character in query");
                return;
            }
            RequestPath.Result result = RequestPath.parse(raw);
            if (result instanceof RequestPath.Rejected rejected) {
                PlainResponses.send(exchange, 400, "400 Bad Request: " + rejected.reason());
                return;
            }
            boolean hidden = result instanceof RequestPath.Hidden;
            String path = hidden ? ((RequestPath.Hidden) result).path() : ((RequestPath.Safe) result).path();
            request = SiteRequest.start(exchange, path, hidden, root.current());
        }
        Release release = request.release;
        long now = System.nanoTime();
        if (!release.rules().isFresh(now) && release.rules().claimRefresh(now)) {
            // rereading _headers/_redirects touches the disk: a worker does it while this request, like the
            // others meanwhile, is served by the rules it replaces. Re-entering the chain from a worker instead
            // made C2 compile this method on its own, the whole chain inlined, minutes into a load (410 ms of
            // the serving CPU in a bench round, bench/FINDINGS.md).
            try {
                exchange.getConnection().getWorker().execute(() -> release.refreshRules(System.nanoTime()));
            } catch (RejectedExecutionException e) {
                // the server is stopping: the claim lapses, and these rules serve until then
            }
        }
        next.handleRequest(exchange);
    }
}
