package io.haflare.server.metrics;

import io.haflare.server.http.SiteRequest;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what the site listener served: requests by method and status class, bytes sent, and a duration
 * histogram. LongAdders keep the per-request cost to a few uncontended additions on the IO thread.
 */
public final class RequestMetrics {
    static final double[] BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    private static final String[] METHODS = {"GET", "HEAD", "other"};
    private static final String[] CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

    private final LongAdder[][] requests = new LongAdder[METHODS.length][CLASSES.length];
    private final LongAdder bytes = new LongAdder();
    private final LongAdder[] buckets = new LongAdder[BUCKETS.length + 1];
    private final LongAdder durationNanos = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private volatile Runnable onFailed = () -> { };

    public RequestMetrics() {
        for (LongAdder[] row : requests) {
            for (int i = 0; i < row.length; i++) {
                row[i] = new LongAdder();
            }
        }
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    /**
     * Hears about every 404 and 5xx the site answers, on the IO thread (so it must not block): the health
     * monitor probes at once instead of waiting for its interval.
     */
    public void onFailedResponse(Runnable listener) {
        this.onFailed = listener;
    }

    /** Counts a completed exchange; on the thread that completed it. */
    public void record(HttpServerExchange exchange) {
        long start = exchange.getRequestStartTime();
        long elapsed = start > 0 ? System.nanoTime() - start : 0;
        record(exchange.getRequestMethod().equals(Methods.GET) ? 0 : exchange.getRequestMethod().equals(Methods.HEAD) ? 1 : 2,
                exchange.getStatusCode(), SiteRequest.bodyBytesSent(exchange), elapsed);
    }

    void record(int method, int status, long sent, long elapsedNanos) {
        int statusClass = Math.min(Math.max(status / 100 - 1, 0), CLASSES.length - 1);
        requests[method][statusClass].increment();
        bytes.add(Math.max(sent, 0));
        durationNanos.add(elapsedNanos);
        double seconds = elapsedNanos / 1e9;
        int bucket = 0;
        while (bucket < BUCKETS.length && seconds > BUCKETS[bucket]) {
            bucket++;
        }
        buckets[bucket].increment();
        if (status == 404 || status >= 500) {
            onFailed.run();
        }
    }

    /**
     * Counts a request refused while it was read (see ParserRefusals): answered 400 and closed before any
     * handler ran, its method unknown. On the IO thread.
     */
    public void refused() {
        refused.increment();
    }

    /** The Prometheus text exposition of these metrics. */
    public void appendTo(StringBuilder out) {
        out.append("# HELP haflare_http_requests_total Requests the site listener answered, by method and status class.\n");
        out.append("# TYPE haflare_http_requests_total counter\n");
        for (int m = 0; m < METHODS.length; m++) {
            for (int c = 0; c < CLASSES.length; c++) {
                out.append("haflare_http_requests_total{method=\"").append(METHODS[m]).append("\",code=\"")
                        .append(CLASSES[c]).append("\"} ").append(requests[m][c].sum()).append('\n');
            }
        }
        out.append("# HELP haflare_http_requests_refused_total Requests refused as malformed while they were read"
                + " (answered 400 and closed before any handler ran; not in haflare_http_requests_total).\n");
        out.append("# TYPE haflare_http_requests_refused_total counter\n");
        out.append("haflare_http_requests_refused_total ").append(refused.sum()).append('\n');
        out.append("# HELP haflare_http_response_bytes_total Bytes sent by the site listener.\n");
        out.append("# TYPE haflare_http_response_bytes_total counter\n");
        out.append("haflare_http_response_bytes_total ").append(bytes.sum()).append('\n');
        out.append("# HELP haflare_http_request_duration_seconds Time from the request's first byte to the end of the response.\n");
        out.append("# TYPE haflare_http_request_duration_seconds histogram\n");
        long cumulative = 0;
        for (int i = 0; i < buckets.length; i++) {
            cumulative += buckets[i].sum();
            String le = i < BUCKETS.length ? format(BUCKETS[i]) : "+Inf";
            out.append("haflare_http_request_duration_seconds_bucket{le=\"").append(le).append("\"} ")
                    .append(cumulative).append('\n');
        }
        out.append("haflare_http_request_duration_seconds_sum ").append(format(durationNanos.sum() / 1e9)).append('\n');
        out.append("haflare_http_request_duration_seconds_count ").append(cumulative).append('\n');
    }

    /** Plain decimal, as Prometheus clients write bucket bounds: 0.0005, 2.5, 10. */
    static String format(double value) {
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
