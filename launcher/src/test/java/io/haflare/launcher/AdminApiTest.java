package io.haflare.launcher;

import io.haflare.launcher.fake.FakeAgentInstall;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The admin API and its CLI on a running node with the fake agent. */
class AdminApiTest extends FakeAgentFixture {
    static HttpResponse<String> call(String method, int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthFollowsTheAgentAndStatusShowsItWithoutTheToken() throws Exception {
        NodeProcess node = node(Map.of());
        int admin = node.awaitAdmin();
        await().atMost(STARTUP).until(() -> call("GET", admin, "/health").statusCode() == 200);
        HttpResponse<String> health = call("GET", admin, "/health");
        assertThat(health.body()).contains("\"healthy\":true").contains("agent connected: 4 edge connections (fra08)");
        HttpResponse<String> status = call("GET", admin, "/status");
        assertThat(status.body()).contains("\"state\":\"CONNECTED\"").contains("\"edgeLocations\":[\"fra08\"")
                .contains("\"readyConnections\":4").containsPattern("\"connectorId\":\"[0-9a-f-]{36}\"").contains("\"root\":\"" + site + "\"").contains("\"restarts\":0")
                .doesNotContain(FakeAgentInstall.TOKEN).doesNotContain(FakeAgentInstall.SECRET);
        String fingerprint = io.haflare.server.files.ContentFingerprint.of(site);
        await().atMost(Duration.ofSeconds(5)).until(() -> call("GET", admin, "/status").body()
                .contains("\"fingerprint\":\"" + fingerprint + "\""));
        assertThat(call("GET", admin, "/metrics").body()).contains("haflare_content_info{fingerprint=\"" + fingerprint + "\"");
        Files.move(site, dir.resolve("aside"));
        await().atMost(Duration.ofSeconds(6)).until(() -> call("GET", admin, "/health").statusCode() == 503);
        assertThat(call("GET", admin, "/health").body()).contains("site unhealthy: GET / -> 404");
    }

    @Test
    void drainStopsTheAgentSurvivesARestartAndResumeBringsItBack() throws Exception {
        NodeProcess first = node(Map.of());
        int admin = first.awaitAdmin();
        await().atMost(STARTUP).until(() -> edge.connections() == 4);
        try (NodeProcess drain = NodeProcess.start(dir, "drain", "--admin", "127.0.0.1:" + admin)) {
            assertThat(drain.awaitExit(Duration.ofSeconds(20))).isEqualTo(0);
            assertThat(String.join("\n", drain.stdout())).contains("DRAINED");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> edge.connections() == 0);
        await().atMost(Duration.ofSeconds(5)).until(() -> call("GET", admin, "/health").body().contains("drained: the agent is stopped"));
        assertThat(call("GET", admin, "/health").statusCode()).isEqualTo(200);
        first.terminate();
        assertThat(first.awaitExit(Duration.ofSeconds(20))).isZero();

        NodeProcess second = node(Map.of());
        int admin2 = second.awaitAdmin();
        second.awaitLog("the node is drained", STARTUP);
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(edge.connections()).as("a drained node stays out after a restart").isZero();
        try (NodeProcess resume = NodeProcess.start(dir, "resume", "--admin", "127.0.0.1:" + admin2)) {
            assertThat(resume.awaitExit(Duration.ofSeconds(20))).isEqualTo(0);
        }
        await().atMost(STARTUP).until(() -> edge.connections() == 4);
    }

    @Test
    void statusPrintsACompactViewAndJsonOnRequest() throws Exception {
        NodeProcess node = node(Map.of());
        int admin = node.awaitAdmin();
        await().atMost(STARTUP).until(() -> edge.connections() == 4);
        await().atMost(Duration.ofSeconds(5)).until(() -> call("GET", admin, "/health").statusCode() == 200);
        try (NodeProcess status = NodeProcess.start(dir, "status", "--admin", "127.0.0.1:" + admin)) {
            assertThat(status.awaitExit(Duration.ofSeconds(20))).isEqualTo(0);
            String text = String.join("\n", status.stdout());
            assertThat(text).contains("site   healthy").contains("agent  CONNECTED 4 connections (fra08)").contains("recent")
                    .containsPattern("connections \\d+ of \\d+");
        }
        try (NodeProcess json = NodeProcess.start(dir, "status", "--json", "--admin", "127.0.0.1:" + admin)) {
            assertThat(json.awaitExit(Duration.ofSeconds(20))).isEqualTo(0);
            assertThat(String.join("\n", json.stdout())).startsWith("{\"node\":")
                    .containsPattern("\"connections\":\\{\"open\":\\d+,\"limit\":\\d+,\"accepted\":\\d+,\"reclaimed\":0,\"stalled\":0}");
        }
    }

    @Test
    void statusWithoutARunningNodeSaysSoAndExits1() throws Exception {
        int free;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            free = s.getLocalPort();
        }
        try (NodeProcess status = NodeProcess.start(dir, "status", "--admin", "127.0.0.1:" + free)) {
            assertThat(status.awaitExit(Duration.ofSeconds(20))).isEqualTo(1);
            assertThat(status.errText()).contains("no node is running here: nothing answers on http://127.0.0.1:" + free);
        }
    }

    @Test
    void aRemoteAdminBindIsRefusedWithoutAToken() throws Exception {
        NodeProcess node = node(Map.of(), "--admin", "0.0.0.0:0");
        assertThat(node.awaitExit(Duration.ofSeconds(20))).isEqualTo(2);
        assertThat(node.errText()).contains("admin listener 0.0.0.0:0 is not a loopback address")
                .contains("--admin-token-file");
        Files.writeString(dir.resolve("admin-token"), "0123456789abcdef0123456789abcdef\n");
        NodeProcess withToken = node(Map.of(), "--admin", "0.0.0.0:0", "--admin-token-file", dir.resolve("admin-token").toString());
        int admin = withToken.awaitAdmin();
        assertThat(call("GET", admin, "/status").statusCode()).isEqualTo(401);
        // the CLI without the token: the refusal's reason on stderr, at once (verify used to wait for its deadline)
        for (String[] command : new String[][] {{"drain"}, {"verify", "--expect", "sha256:00"}}) {
            List<String> args = new ArrayList<>(List.of(command));
            args.addAll(List.of("--admin", "127.0.0.1:" + admin));
            try (NodeProcess cli = NodeProcess.start(dir, args.toArray(String[]::new))) {
                assertThat(cli.awaitExit(Duration.ofSeconds(20))).isEqualTo(1);
                assertThat(cli.errText()).contains("haflare-node: the node at http://127.0.0.1:" + admin + " refused "
                        + (command.length == 1 ? "POST /drain" : "GET /status") + " (401): missing or wrong bearer token");
                assertThat(cli.stdout()).isEmpty();
            }
        }
    }

    @Test
    void checkBesideTheRunningNodeTakesItsAddressesForItsOwn() throws Exception {
        NodeProcess node = node(Map.of());
        int port = node.awaitServing();
        int admin = node.awaitAdmin();
        try (NodeProcess check = NodeProcess.start(dir, "check", "--site", site.toString(), "--listen", "localhost:" + port,
                "--admin", "127.0.0.1:" + admin)) {
            assertThat(check.awaitExit(Duration.ofSeconds(20))).as(String.join("\n", check.stdout())).isZero();
            assertThat(check.stdout()).contains("ok       listen: localhost:" + port + " is the running node's (pid "
                    + node.pid() + "): it is free again when that node stops, as a restart does",
                    "ok       admin: 127.0.0.1:" + admin + " is the running node's (pid " + node.pid() + "): it is free"
                    + " again when that node stops, as a restart does");
        }
        try (java.net.ServerSocket other = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             NodeProcess check = NodeProcess.start(dir, "check", "--site", site.toString(), "--listen", "127.0.0.1:"
                     + other.getLocalPort(), "--admin", "127.0.0.1:" + admin)) {
            assertThat(check.awaitExit(Duration.ofSeconds(20))).isEqualTo(1);
            assertThat(String.join("\n", check.stdout())).contains("PROBLEM  listen: 127.0.0.1:" + other.getLocalPort()
                    + " is already in use");
        }
    }

    @Test
    void theCliPointedAtTheSitesListenerSaysItIsNoAdminApi() throws Exception {
        NodeProcess node = node(Map.of());
        int site = node.awaitServing();
        Files.createDirectories(this.site.resolve("status"));
        Files.writeString(this.site.resolve("status/index.html"), "<p>our status page</p>");
        for (String command : new String[] {"status", "drain"}) {
            try (NodeProcess cli = NodeProcess.start(dir, command, "--admin", "127.0.0.1:" + site)) {
                assertThat(cli.awaitExit(Duration.ofSeconds(20))).isEqualTo(1);
                assertThat(cli.errText()).contains("haflare-node: http://127.0.0.1:" + site + " answered "
                        + (command.equals("status") ? "301 to GET /status?format=text" : "405 to POST /drain")
                        + ", as no haflare-node admin API does: is --admin (admin.listen) the site's address");
                assertThat(cli.stdout()).isEmpty();
            }
        }
    }
}
