package io.haflare.launcher.fake;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The fake agent against ../shared/cloudflared-contract.md, so the supervisor's tests stand on the real behaviour. */
class FakeCloudflaredContractTest {
    @TempDir
    Path dir;
    final List<Process> started = new ArrayList<>();

    @AfterEach
    void tearDown() {
        started.forEach(Process::destroyForcibly);
    }

    Process agent(Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(FakeAgentInstall.create(dir.resolve("bin")).toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("out-" + started.size() + ".log").toFile());
        builder.environment().remove("TUNNEL_TOKEN");
        builder.environment().remove("TUNNEL_TOKEN_FILE");
        builder.environment().putAll(env);
        Process p = builder.start();
        started.add(p);
        return p;
    }

    String output(int index) throws IOException {
        return Files.readString(dir.resolve("out-" + index + ".log"));
    }

    static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anInvalidTokenExits255AtOnce() throws Exception {
        Process p = agent(Map.of("TUNNEL_TOKEN", "garbage"), "tunnel", "--no-autoupdate", "run");
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(255);
        assertThat(output(0)).contains("Provided Tunnel token is not valid.");
    }

    @Test
    void noTokenAndNoTunnelNameExits255() throws Exception {
        Process p = agent(Map.of(), "tunnel", "--no-autoupdate", "run");
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(255);
        assertThat(output(0)).contains("\"cloudflared tunnel run\" requires the ID or name of the tunnel");
    }

    @Test
    void withoutAnEdgeToDialEdgeDiscoveryFailsWithExit1() throws Exception {
        Process p = agent(Map.of("TUNNEL_TOKEN", FakeAgentInstall.TOKEN), "tunnel", "--no-autoupdate", "--metrics",
                "127.0.0.1:" + FreePort.pick(), "run");
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(output(0)).contains("ERR edge discovery: error looking up Cloudflare edge IPs").contains("ERR Initiating shutdown");
    }

    @Test
    void readyIs503UntilAConnectionRegistersThen200WithTheCount() throws Exception {
        int port = FreePort.pick();
        try (ServerSocket silentEdge = new ServerSocket(0)) {
            agent(Map.of("TUNNEL_TOKEN", FakeAgentInstall.TOKEN, "FAKE_AGENT_NEVER_READY", "1"), "tunnel",
                    "--no-autoupdate", "--metrics", "127.0.0.1:" + port, "--edge", "127.0.0.1:" + silentEdge.getLocalPort(), "run");
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> get(port, "/ready").statusCode() == 503);
            assertThat(get(port, "/ready").body()).matches("\\{\"status\":503,\"readyConnections\":0,\"connectorId\":\"[0-9a-f-]{36}\"}");
            assertThat(get(port, "/healthcheck").body()).isEqualTo("OK\n");
        }
        int port2 = FreePort.pick();
        try (EdgeSimulator edge = new EdgeSimulator("qro01")) {
            agent(Map.of("TUNNEL_TOKEN", FakeAgentInstall.TOKEN), "tunnel", "--no-autoupdate", "--metrics",
                    "127.0.0.1:" + port2, "--edge", edge.address(), "run");
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> get(port2, "/ready").statusCode() == 200);
            await().atMost(Duration.ofSeconds(5)).until(() -> get(port2, "/ready").body().contains("\"readyConnections\":4"));
            assertThat(get(port2, "/metrics").body()).contains("cloudflared_tunnel_ha_connections 4");
            assertThat(output(1)).contains("INF Registered tunnel connection connIndex=0").contains("location=qro01 protocol=quic");
        }
    }

    @Test
    void sigtermUnregistersAndDrainsNoLongerThanTheGracePeriod() throws Exception {
        try (EdgeSimulator edge = new EdgeSimulator("fra08")) {
            int port = FreePort.pick();
            Process p = agent(Map.of("TUNNEL_TOKEN", FakeAgentInstall.TOKEN, "FAKE_AGENT_INFLIGHT_SECONDS", "20"),
                    "tunnel", "--no-autoupdate", "--metrics", "127.0.0.1:" + port, "--grace-period", "1s",
                    "--edge", edge.address(), "run");
            await().atMost(Duration.ofSeconds(10)).until(() -> edge.connections() == 4);
            long start = System.nanoTime();
            p.toHandle().destroy();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(p.exitValue()).isZero();
            assertThat(millis).isBetween(900L, 5000L);
            assertThat(output(0)).contains("INF Initiating graceful shutdown due to signal terminated")
                    .contains("INF Unregistered tunnel connection connIndex=");
        }
    }

    @Test
    void anUnknownFlagIsAUsageError() throws Exception {
        Process p = agent(Map.of("TUNNEL_TOKEN", FakeAgentInstall.TOKEN), "tunnel", "--bogus", "x", "run");
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(255);
        assertThat(output(0)).contains("flag provided but not defined: -bogus");
    }
}
