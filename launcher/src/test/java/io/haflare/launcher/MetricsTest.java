package io.haflare.launcher;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class MetricsTest extends FakeAgentFixture {
    static String get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void metricsCountTheSiteAndShowTheAgentAndPromtoolAcceptsThem() throws Exception {
        NodeProcess node = node(Map.of());
        int site = node.awaitServing();
        int admin = node.awaitAdmin();
        await().atMost(STARTUP).until(() -> edge.connections() == 4);
        for (int i = 0; i < 5; i++) {
            get(site, "/");
        }
        get(site, "/missing");
        await().atMost(STARTUP).until(() -> get(admin, "/metrics").contains("haflare_agent_ready_connections 4"));
        String metrics = get(admin, "/metrics");
        // exactly the test's own requests: the health probe, once a second since the start, is not counted
        assertThat(metrics).contains("haflare_http_requests_total{method=\"GET\",code=\"2xx\"} 5\n")
                .contains("haflare_http_requests_total{method=\"GET\",code=\"4xx\"} 1\n")
                .contains("haflare_site_healthy 1\n")
                .contains("haflare_agent_up 1\n")
                .contains("haflare_agent_state{state=\"CONNECTED\"} 1\n")
                .contains("haflare_agent_state{state=\"BACKOFF\"} 0\n")
                .contains("haflare_node_drained 0\n")
                .contains("haflare_http_connections_limit ")
                .containsPattern("haflare_http_connections_accepted_total [1-9]")
                .contains("haflare_http_connections_reclaimed_total 0\n")
                .contains("haflare_http_connections_stalled_total 0\n")
                .contains("haflare_jvm_memory_used_bytes{area=\"heap\"}");

        Path promtool = Path.of("/usr/bin/promtool");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(promtool) || System.getenv("CI") != null,
                "promtool (Debian package prometheus) is installed by .ci/run");
        Process check = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        check.getOutputStream().write(metrics.getBytes(StandardCharsets.UTF_8));
        check.getOutputStream().close();
        String verdict = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as(verdict).isZero();
    }
}
