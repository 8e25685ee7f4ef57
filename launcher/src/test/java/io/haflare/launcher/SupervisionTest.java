package io.haflare.launcher;

import io.haflare.launcher.fake.FakeAgentInstall;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The real node (child JVM) supervising the fake agent (child process), through real signals and files. */
class SupervisionTest extends FakeAgentFixture {
    @Test
    void startsTheAgentOnceTheSiteIsHealthyAndItConnects() throws Exception {
        NodeProcess node = node(Map.of());
        long healthy = NodeProcess.timeOf(node.awaitLog("site healthy", STARTUP));
        long started = NodeProcess.timeOf(node.awaitLog("agent started: pid", STARTUP));
        assertThat(started).isGreaterThanOrEqualTo(healthy);
        await().atMost(STARTUP).until(() -> edge.connections() == 4);
        node.awaitLog("agent connected: 4 edge connections", STARTUP);
        assertThat(node.errText()).contains("agent Registered tunnel connection connIndex=0").contains("location=fra08")
                .contains("agent binary " + cloudflared).contains("cloudflared version 2025.5.0")
                .doesNotContain("is " + cloudflared + " cloudflared?");
        String argv = events().get(0);
        assertThat(argv).contains("argv=tunnel --no-autoupdate --metrics 127.0.0.1:").contains("--grace-period 30s --edge "
                + edge.address() + " run").contains("token-in-env=true");
    }

    @Test
    void theTokenIsNeverInArgvNorInTheLogs() throws Exception {
        NodeProcess node = node(Map.of());
        await().atMost(STARTUP).until(() -> edge.connections() == 4);
        long pid = agentPids().get(0);
        String cmdline = Files.readString(Path.of("/proc/" + pid + "/cmdline"), StandardCharsets.ISO_8859_1);
        assertThat(cmdline).doesNotContain(FakeAgentInstall.TOKEN).doesNotContain(FakeAgentInstall.SECRET);
        String environ = Files.readString(Path.of("/proc/" + pid + "/environ"), StandardCharsets.ISO_8859_1);
        assertThat(environ).contains("TUNNEL_TOKEN=" + FakeAgentInstall.TOKEN);
        String nodeCmdline = Files.readString(Path.of("/proc/" + node.pid() + "/cmdline"), StandardCharsets.ISO_8859_1);
        assertThat(nodeCmdline).doesNotContain(FakeAgentInstall.TOKEN);
        assertThat(node.errText() + String.join("\n", node.stdout())).doesNotContain(FakeAgentInstall.TOKEN)
                .doesNotContain(FakeAgentInstall.SECRET);
    }

    @Test
    void aCrashedAgentIsRunningAgainWithinOneAndAHalfSeconds() throws Exception {
        NodeProcess node = node(Map.of("FAKE_AGENT_CRASH_AFTER", "3"));
        node.awaitLog("agent started: pid", STARTUP);
        await().atMost(STARTUP).until(() -> agentPids().size() >= 2);
        long crashed = eventTime("exit 1");
        // restarted = the new agent process exists (the node logs its pid right after spawning it)
        long restarted = node.stderr().stream().filter(l -> l.contains("agent started: pid")).skip(1)
                .map(NodeProcess::timeOf).findFirst().orElseThrow();
        assertThat(restarted - crashed).isLessThan(1500);
        assertThat(node.errText()).contains("restarting in");
    }

    @Test
    void aCrashLoopWaitsLongerEachTimeUpToTheCap() throws Exception {
        NodeProcess node = node(Map.of("FAKE_AGENT_CRASH_AFTER", "0.1"), "--config",
                writeConfig("tunnel:\n  restart:\n    maxDelay: 4s\n").toString());
        await().atMost(Duration.ofSeconds(40)).until(() -> node.stderr().stream().filter(l -> l.contains("restarting in")).count() >= 5);
        List<Double> delays = new ArrayList<>();
        Pattern delay = Pattern.compile("restarting in ([0-9.]+) s");
        for (String line : node.stderr()) {
            Matcher m = delay.matcher(line);
            if (m.find()) {
                delays.add(Double.parseDouble(m.group(1)));
            }
        }
        assertThat(delays.get(0)).isBetween(0.9, 1.1);
        assertThat(delays.get(1)).isBetween(1.8, 2.2);
        assertThat(delays.get(2)).isBetween(3.6, 4.4);
        assertThat(delays.get(3)).as("capped").isBetween(3.6, 4.0);
        assertThat(delays.get(4)).as("stays at the cap").isBetween(3.6, 4.0);
        assertThat(node.errText()).contains("crash 5 in a row");
    }

    @Test
    void removingTheSiteStopsTheAgentAndRestoringItStartsItAgain() throws Exception {
        NodeProcess node = node(Map.of());
        await().atMost(STARTUP).until(() -> edge.connections() == 4);
        Path aside = dir.resolve("public-aside");
        long removed = System.currentTimeMillis();
        Files.move(site, aside);
        await().atMost(Duration.ofSeconds(4)).until(() -> events().stream().anyMatch(l -> l.contains("signal TERM")));
        assertThat(eventTime("signal TERM") - removed).isLessThan(4000); // interval 1 s x threshold 3 + 1 s
        node.awaitLog("site unhealthy: GET / -> 404", Duration.ofSeconds(2));
        await().atMost(Duration.ofSeconds(3)).until(() -> edge.connections() == 0);
        Files.move(aside, site);
        await().atMost(Duration.ofSeconds(5)).until(() -> agentPids().size() == 2);
        await().atMost(STARTUP).until(() -> edge.connections() == 4);
    }

    @Test
    void aSiteFailingFromTheStartIsLoggedWithWhyTheAgentWaits() throws Exception {
        Files.delete(site.resolve("index.html")); // a multilingual site whose root only redirects
        Files.createDirectories(site.resolve("en"));
        Files.writeString(site.resolve("en/index.html"), "<h1>home</h1>");
        Files.writeString(site.resolve("_redirects"), "/ /en/ 302\n");
        NodeProcess node = node(Map.of());
        String line = node.awaitLog("site unhealthy: GET / -> 302 to /en/ in", STARTUP);
        assertThat(line).contains("(the probe wants 2xx: point health.path at a page the site serves) (3/3)");
        assertThat(agentPids()).isEmpty();
        node.close();
        Path config = writeConfig("health:\n  path: /en/\n");
        NodeProcess fixed = node(Map.of(), "--config", config.toString());
        fixed.awaitLog("site healthy: GET /en/ -> 200", STARTUP);
        await().atMost(STARTUP).until(() -> edge.connections() == 4);
    }

    @Test
    void aVisitorsFailedRequestHasTheBrokenSiteConfirmedAndTheAgentStoppedAtOnce() throws Exception {
        // probes every 10 s: only the early probe a 404 triggers, and the fast rechecks, can be this quick
        NodeProcess node = node(Map.of(), "--config", writeConfig("health:\n  interval: 10s\n  successThreshold: 1\n").toString());
        int port = node.awaitServing();
        await().atMost(STARTUP).until(() -> edge.connections() == 4);
        Files.move(site, dir.resolve("public-aside"));
        long failed = System.currentTimeMillis();
        HttpResponse<String> visitor = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/about/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(visitor.statusCode()).isEqualTo(404);
        await().atMost(Duration.ofSeconds(3)).until(() -> events().stream().anyMatch(l -> l.contains("signal TERM")));
        assertThat(eventTime("signal TERM") - failed).isLessThan(500);
        node.awaitLog("site unhealthy: GET / -> 404", Duration.ofSeconds(2));
        await().atMost(Duration.ofSeconds(3)).until(() -> edge.connections() == 0);
    }

    /** The tunnel's public hostname left at an earlier setup's port: the agent runs, and visitors get 502s. */
    @Test
    void anAgentThatCannotReachItsOriginGetsTheNodeToSayWhereTheTunnelMustPoint() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        NodeProcess node = node(Map.of("FAKE_AGENT_ORIGIN", "http://127.0.0.1:" + closed), "--admin", "127.0.0.1:0");
        int port = node.awaitServing();
        await().atMost(STARTUP).until(() -> edge.connections() == 4);
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> visitor = HttpClient.newHttpClient().send(HttpRequest.newBuilder(edge.visitorUri())
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(visitor.statusCode()).isEqualTo(502);
        }
        String hint = node.awaitLog("WRN supervisor cloudflared cannot reach the origin service its tunnel names", STARTUP);
        assertThat(hint).endsWith("while this node's site is up on 127.0.0.1:" + port + ": in the Cloudflare dashboard"
                + " the tunnel's public hostname must point at http://localhost:" + port + ", the same on every node"
                + " (the agent answers visitors 502 meanwhile)");
        assertThat(node.stderr()).as("once per agent run").filteredOn(l -> l.contains("cannot reach the origin")).hasSize(1);
        try (NodeProcess status = NodeProcess.start(dir, "status", "--admin", "127.0.0.1:" + node.awaitAdmin())) {
            assertThat(status.awaitExit(STARTUP)).isZero();
            assertThat(status.stdout()).anyMatch(l -> l.contains("WRN cloudflared cannot reach the origin service"));
        }
    }

    @Test
    void sigtermStopsTheAgentFirstThenTheSiteLetsADownloadFinish() throws Exception {
        byte[] big = new byte[24 * 1024 * 1024];
        new java.util.Random(1).nextBytes(big);
        Files.write(site.resolve("big.bin"), big);
        NodeProcess node = node(Map.of("FAKE_AGENT_INFLIGHT_SECONDS", "1"));
        int port = node.awaitServing();
        await().atMost(STARTUP).until(() -> edge.connections() == 4);
        HttpResponse<InputStream> download = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/big.bin")).build(), HttpResponse.BodyHandlers.ofInputStream());
        long received = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = download.body()) {
            received += in.read(buffer);
            node.terminate();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                received += n;
                Thread.sleep(2); // a slow visitor: the download outlives the agent's drain
            }
        }
        assertThat(received).isEqualTo(big.length);
        assertThat(node.awaitExit(Duration.ofSeconds(40))).isEqualTo(0);
        long agentTerm = eventTime("signal TERM");
        long siteStopping = NodeProcess.timeOf(node.awaitLog("stopping: finishing in-flight requests", Duration.ofSeconds(1)));
        assertThat(agentTerm).isLessThan(siteStopping);
        assertThat(node.errText()).contains("node shutting down; stopping agent first")
                .contains("agent Initiating graceful shutdown due to signal terminated");
    }

    @Test
    void aRejectedTokenIsNotRetriedAndTheSiteKeepsServing() throws Exception {
        NodeProcess node = node(Map.of("TUNNEL_TOKEN", "not-a-token"));
        int port = node.awaitServing();
        node.awaitLog("Provided Tunnel token is not valid.", STARTUP);
        node.awaitLog("not restarting", Duration.ofSeconds(2));
        long start = System.currentTimeMillis();
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> System.currentTimeMillis() - start >= 3000);
        assertThat(agentPids()).hasSize(1);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(node.errText()).contains("the tunnel token was rejected").doesNotContain("not-a-token");
    }

    @Test
    void anAgentThatIgnoresSigtermIsKilledAfterItsBound() throws Exception {
        NodeProcess node = node(Map.of("FAKE_AGENT_IGNORE_SIGTERM", "1"), "--config", writeConfig("tunnel:\n  gracePeriod: 1s\n").toString());
        await().atMost(STARTUP).until(() -> edge.connections() == 4);
        long pid = agentPids().get(0);
        node.terminate();
        assertThat(node.awaitExit(Duration.ofSeconds(20))).isEqualTo(0);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(node.errText()).contains("did not exit within 6.0 s of SIGTERM; killing it");
    }

    @Test
    void aKilledNodesAgentIsToldByTheKernelAndLeavesTheEdge() throws Exception {
        NodeProcess node = node(Map.of());
        await().atMost(STARTUP).until(() -> edge.connections() == 4);
        long agent = agentPids().get(0);
        long killed = System.currentTimeMillis();
        ProcessHandle.of(node.pid()).orElseThrow().destroyForcibly(); // SIGKILL: the node runs no code of its own
        await().atMost(Duration.ofSeconds(5)).until(() -> events().stream().anyMatch(l -> l.contains("signal TERM")));
        assertThat(eventTime("signal TERM") - killed).isLessThan(1000);
        await().atMost(Duration.ofSeconds(5)).until(() -> edge.connections() == 0
                && !ProcessHandle.of(agent).map(ProcessHandle::isAlive).orElse(false));
        assertThat(events()).anyMatch(l -> l.endsWith("exit 0"));
    }

    @Test
    void anAgentThatOutlivesItsKilledNodeIsEndedAtTheNextStart() throws Exception {
        Path config = writeConfig("tunnel:\n  gracePeriod: 1s\n");
        NodeProcess first = node(Map.of("FAKE_AGENT_IGNORE_SIGTERM", "1"), "--config", config.toString());
        await().atMost(STARTUP).until(() -> edge.connections() == 4);
        long orphan = agentPids().get(0);
        ProcessHandle.of(first.pid()).orElseThrow().destroyForcibly();
        first.awaitExit(Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(5)).until(() -> events().stream().anyMatch(l -> l.contains("signal TERM")));
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false)).as("orphan survives its node").isTrue();
        NodeProcess second = node(Map.of("FAKE_AGENT_IGNORE_SIGTERM", "1"), "--config", config.toString());
        second.awaitLog("found agent pid " + orphan + " left by a previous run", STARTUP);
        await().atMost(Duration.ofSeconds(15)).until(() -> !ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false));
        await().atMost(STARTUP).until(() -> agentPids().size() == 2 && edge.connections() == 4);
    }

    @Test
    void aSecondNodeOnTheSameDataDirectoryIsRefusedAndLeavesTheRunningAgentAlone() throws Exception {
        NodeProcess first = node(Map.of());
        await().atMost(STARTUP).until(() -> edge.connections() == 4);
        long agent = agentPids().get(0);
        NodeProcess second = node(Map.of()); // its own ports, the same data directory: a manual run beside the service
        assertThat(second.awaitExit(Duration.ofSeconds(20))).isEqualTo(2);
        assertThat(second.errText()).contains("another node (pid " + first.pid() + ") is running with the data directory "
                + dir.resolve("data") + ": stop it first, or give this one its own (--data-dir DIR, node.dataDir)");
        assertThat(events()).noneMatch(l -> l.contains("signal TERM"));
        assertThat(agentPids()).containsExactly(agent);
        assertThat(edge.connections()).isEqualTo(4);
    }

    @Test
    void anAgentWithoutEdgeConnectionsIsRunningButNotConnected() throws Exception {
        NodeProcess node = node(Map.of("FAKE_AGENT_NEVER_READY", "1"));
        node.awaitLog("agent running, no edge connection yet", STARTUP);
        assertThat(node.errText()).doesNotContain("agent connected");
    }

    @Test
    void aSecondSignalForcesTheExitAndTakesTheAgentAlong() throws Exception {
        NodeProcess node = node(Map.of("FAKE_AGENT_IGNORE_SIGTERM", "1"));
        await().atMost(STARTUP).until(() -> edge.connections() == 4);
        long agentPid = agentPids().get(0);
        ProcessHandle handle = ProcessHandle.of(node.pid()).orElseThrow();
        handle.destroy();
        node.awaitLog("node shutting down; stopping agent first", Duration.ofSeconds(5));
        handle.destroy();
        assertThat(node.awaitExit(Duration.ofSeconds(5))).isEqualTo(1);
        assertThat(node.errText()).contains("again: forcing exit now").contains("killing agent pid " + agentPid);
        await().atMost(Duration.ofSeconds(5)).until(() -> !ProcessHandle.of(agentPid).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    void tokenInAgentArgumentsIsRefused() {
        NodeProcess node = node(Map.of(), "--agent-arg", "--token=abc");
        assertThat(node.awaitExit(Duration.ofSeconds(20))).isEqualTo(2);
        assertThat(node.errText()).contains("--token would put the tunnel token in the process list");
    }

    @Test
    void aMissingAgentBinaryIsExit2WithHowToGetOne() {
        NodeProcess node = NodeProcess.start(dir, Map.of("TUNNEL_TOKEN", FakeAgentInstall.TOKEN, "PATH", "/nonexistent"),
                "--site", site.toString(), "--listen", "127.0.0.1:0", "--data-dir", dir.resolve("data").toString());
        nodes.add(node);
        assertThat(node.awaitExit(Duration.ofSeconds(20))).isEqualTo(2);
        assertThat(node.errText()).contains("no cloudflared found").contains("--cloudflared").contains("--no-tunnel");
    }

    @Test
    void anAgentBinaryThatIsNotCloudflaredIsNamedInAWarning() throws Exception {
        Files.writeString(cloudflared, "#!/bin/sh\necho 'usage: some other tool'\nexit 1\n"); // the fixture's path
        NodeProcess node = node(Map.of());
        node.awaitLog("WRN node the agent binary's --version did not say 'cloudflared version ...': is " + cloudflared
                + " cloudflared? (tunnel.cloudflared / --cloudflared)", STARTUP);
    }

    @Test
    void withoutATokenTheNodeServesInLocalMode() throws Exception {
        NodeProcess node = NodeProcess.start(dir, Map.of(), "--site", site.toString(), "--listen", "127.0.0.1:0");
        nodes.add(node);
        node.awaitServing();
        assertThat(node.awaitLog("local mode", Duration.ofSeconds(5))).contains("no tunnel token");
    }

}
