package io.haflare.launcher.fake;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The edge simulator with real fake agents in front of tiny origins: routing, 502s, graceful and silent exits. */
class EdgeSimulatorTest {
    @TempDir
    Path dir;
    private EdgeSimulator edge;
    private final List<Process> agents = new ArrayList<>();
    private final List<Path> agentLogs = new ArrayList<>();
    private final List<HttpServer> origins = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void setUp() throws IOException {
        edge = new EdgeSimulator(new EdgeSimulator.Settings(Duration.ofSeconds(1), Duration.ofSeconds(10)), "fra", "ams");
    }

    @AfterEach
    void tearDown() throws IOException {
        agents.forEach(Process::destroyForcibly);
        origins.forEach(o -> o.stop(0));
        edge.close();
    }

    /** An origin that answers every request with its name and echoes the Cf-Connecting-Ip it was given. */
    private int origin(String name) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.createContext("/", exchange -> {
            byte[] body = (name + " " + exchange.getRequestURI() + " ip=" + exchange.getRequestHeaders().getFirst("Cf-Connecting-Ip"))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("X-Origin", name);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        origins.add(server);
        return server.getAddress().getPort();
    }

    private Process agent(String location, int originPort) throws IOException {
        Path log = dir.resolve(location + "-" + agents.size() + ".log");
        // port 0: these tests never ask the metrics server, and a port picked ahead could be taken by the time
        // the agent binds it (the next origin binds port 0 too), which would end that agent at once
        ProcessBuilder builder = new ProcessBuilder(FakeAgentInstall.create(dir.resolve("bin")).toString(), "tunnel",
                "--no-autoupdate", "--metrics", "127.0.0.1:0", "--grace-period", "5s", "--edge",
                edge.address(location), "run").redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(Map.of("TUNNEL_TOKEN", FakeAgentInstall.TOKEN,
                "FAKE_AGENT_ORIGIN", "http://127.0.0.1:" + originPort));
        Process p = builder.start();
        agents.add(p);
        agentLogs.add(log);
        return p;
    }

    /** Waits for the edge to hold `expected` connections; a timeout tells what each agent did. */
    private void awaitConnections(int expected) {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(
                () -> assertThat(edge.connections()).as(this::agentsReport).isEqualTo(expected));
    }

    private String agentsReport() {
        StringBuilder report = new StringBuilder("edge connections: fra " + edge.connections("fra") + ", ams "
                + edge.connections("ams"));
        for (int i = 0; i < agents.size(); i++) {
            Process p = agents.get(i);
            report.append("\n").append(agentLogs.get(i).getFileName()).append(" (")
                    .append(p.isAlive() ? "running" : "exited " + p.exitValue()).append("):\n");
            try {
                report.append(Files.readString(agentLogs.get(i)));
            } catch (IOException e) {
                report.append(e);
            }
        }
        return report.toString();
    }

    private HttpResponse<String> visit(String near, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(edge.visitorUri().resolve(path)).header("X-Sim-Near", near).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void visitorsGoToTheirNearestReplicaElseToAnother() throws Exception {
        agent("fra", origin("A"));
        agent("ams", origin("B"));
        awaitConnections(8);
        HttpResponse<String> r = visit("fra", "/about/?x=1");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("A /about/?x=1 ip=127.0.0.1");
        assertThat(r.headers().firstValue("X-Origin")).contains("A");
        assertThat(r.headers().firstValue("X-Sim-Colo")).contains("fra");
        assertThat(r.headers().firstValue("CF-Ray")).get().asString().matches("[0-9a-f]{16}-FRA");
        assertThat(visit("ams", "/").body()).startsWith("B ");
        assertThat(visit("nowhere", "/").body()).as("unknown: the preference order").startsWith("A ");
    }

    @Test
    void anOriginThatRefusesGives502WithCloudflaredsWords() throws Exception {
        agent("fra", FreePort.pick()); // nothing listens there
        awaitConnections(4);
        HttpResponse<String> r = visit("fra", "/");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains("Unable to reach the origin service").contains("connect: connection refused");
        assertThat(Files.readString(dir.resolve("fra-0.log"))).contains("ERR  error=\"Unable to reach the origin service");
    }

    @Test
    void aGracefulStopLeavesTheEdgeAtOnceAndFinishesWhatWasSent() throws Exception {
        Process a = agent("fra", origin("A"));
        agent("ams", origin("B"));
        awaitConnections(8);
        List<CompletableFuture<HttpResponse<String>>> during = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            during.add(http.sendAsync(HttpRequest.newBuilder(edge.visitorUri().resolve("/")).header("X-Sim-Near", "fra").build(),
                    HttpResponse.BodyHandlers.ofString()));
            if (i == 50) {
                a.toHandle().destroy(); // SIGTERM
            }
        }
        for (CompletableFuture<HttpResponse<String>> f : during) {
            assertThat(f.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(a.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(a.exitValue()).isZero();
        assertThat(visit("fra", "/").body()).startsWith("B ");
        assertThat(edge.deadConnectionFailures()).isZero();
    }

    @Test
    void aKilledAgentFailsItsVisitorsUntilTheEdgeNoticesThenTheOtherReplicaServes() throws Exception {
        Process a = agent("fra", origin("A"));
        awaitConnections(4);
        agent("ams", origin("B"));
        awaitConnections(8);
        long killed = System.nanoTime();
        a.destroyForcibly();
        a.waitFor(5, TimeUnit.SECONDS);
        assertThat(visit("fra", "/").statusCode()).isEqualTo(502);
        await().atMost(Duration.ofSeconds(3)).until(() -> visit("fra", "/").statusCode() == 200);
        long noticedMillis = (System.nanoTime() - killed) / 1_000_000;
        assertThat(noticedMillis).isBetween(700L, 2500L); // deadAfter 1 s after the last ping, which came up to 250 ms before the kill
        assertThat(visit("fra", "/").body()).startsWith("B ");
        assertThat(edge.deadConnectionFailures()).isPositive();
    }

    @Test
    void withoutAnyConnectedReplicaTheEdgeAnswers530() throws Exception {
        HttpResponse<String> r = visit("fra", "/");
        assertThat(r.statusCode()).isEqualTo(530);
        assertThat(r.body()).isEqualTo("error code: 1033\n");
    }
}
