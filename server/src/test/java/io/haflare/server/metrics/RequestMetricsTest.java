package io.haflare.server.metrics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RequestMetricsTest {
    @Test
    void countsByMethodAndStatusClassAndFillsCumulativeBuckets() {
        RequestMetrics metrics = new RequestMetrics();
        metrics.record(0, 200, 1000, 300_000);        // 0.3 ms
        metrics.record(0, 304, 0, 2_000_000);         // 2 ms
        metrics.record(1, 404, 10, 20_000_000_000L);  // 20 s: only +Inf
        metrics.record(2, 405, 5, 1_000_000);
        StringBuilder out = new StringBuilder();
        metrics.appendTo(out);
        String text = out.toString();
        assertThat(text).contains("haflare_http_requests_total{method=\"GET\",code=\"2xx\"} 1\n")
                .contains("haflare_http_requests_total{method=\"GET\",code=\"3xx\"} 1\n")
                .contains("haflare_http_requests_total{method=\"HEAD\",code=\"4xx\"} 1\n")
                .contains("haflare_http_requests_total{method=\"other\",code=\"4xx\"} 1\n")
                .contains("haflare_http_response_bytes_total 1015\n")
                .contains("haflare_http_request_duration_seconds_bucket{le=\"0.0005\"} 1\n")
                .contains("haflare_http_request_duration_seconds_bucket{le=\"0.001\"} 2\n")
                .contains("haflare_http_request_duration_seconds_bucket{le=\"0.0025\"} 3\n")
                .contains("haflare_http_request_duration_seconds_bucket{le=\"10\"} 3\n")
                .contains("haflare_http_request_duration_seconds_bucket{le=\"+Inf\"} 4\n")
                .contains("haflare_http_request_duration_seconds_count 4\n");
    }
}
