package io.haflare.launcher.failover;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Visitors at a fixed rate (open loop: a slow answer does not slow the next request), half of them near
 * each location, cycling through the site's pages. Every answer that is not 2xx/3xx and every connection
 * error is a failure.
 */
final class VisitorLoad {
    /** One visit: when it was sent (ms since the epoch), what came back, and which location served it. */
    record Visit(long sentMillis, int status, String colo, String error) {
        boolean failed() {
            return error != null || status < 200 || status >= 400;
        }
    }

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "visitors");
        t.setDaemon(true);
        return t;
    });
    private final ConcurrentLinkedQueue<CompletableFuture<Visit>> visits = new ConcurrentLinkedQueue<>();
    private final AtomicLong count = new AtomicLong();
    private final URI edge;
    private final List<String> near;
    private final List<String> paths;

    private VisitorLoad(URI edge, List<String> near, List<String> paths) {
        this.edge = edge;
        this.near = near;
        this.paths = paths;
    }

    static VisitorLoad start(URI edge, int perSecond, List<String> near, List<String> paths) {
        VisitorLoad load = new VisitorLoad(edge, near, paths);
        load.ticker.scheduleAtFixedRate(load::visit, 0, 1_000_000_000L / perSecond, TimeUnit.NANOSECONDS);
        return load;
    }

    private void visit() {
        long i = count.getAndIncrement();
        long sent = System.currentTimeMillis();
        HttpRequest request = HttpRequest.newBuilder(edge.resolve(paths.get((int) (i / near.size() % paths.size()))))
                .header("X-Sim-Near", near.get((int) (i % near.size()))).timeout(Duration.ofSeconds(35)).build();
        visits.add(client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .handle((r, e) -> e != null ? new Visit(sent, 0, null, e.getClass().getSimpleName())
                        : new Visit(sent, r.statusCode(), r.headers().firstValue("X-Sim-Colo").orElse(null), null)));
    }

    /** Stops sending, waits for every answer, and returns the visits in the order they were sent. */
    List<Visit> stop() {
        ticker.shutdownNow();
        List<Visit> all = new ArrayList<>();
        for (CompletableFuture<Visit> f : visits) {
            all.add(f.orTimeout(40, TimeUnit.SECONDS).exceptionally(e -> new Visit(0, 0, null, e.toString())).join());
        }
        all.sort(Comparator.comparingLong(Visit::sentMillis));
        return all;
    }
}
