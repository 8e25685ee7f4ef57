package io.haflare.launcher.failover;

import io.haflare.launcher.NodeProcess;
import io.haflare.launcher.fake.EdgeSimulator;
import io.haflare.launcher.fake.FakeAgentInstall;
import io.haflare.launcher.fake.FreePort;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * Two real nodes (the launcher's main in child JVMs), each with its fake agent registered at its own
 * location of one edge simulator: A near "fra", B near "ams", serving identical copies of a small site.
 */
final class TwoNodeCluster implements AutoCloseable {
    static final String FRA = "fra";
    static final String AMS = "ams";
    static final List<String> PAGES = List.of("/", "/about/", "/posts/1/", "/posts/2/", "/posts/3/",
            "/css/main.3f1a9c2e7b.css", "/posts/4/", "/img/logo.svg");

    /** One node: where it lives, its site and the process running it. */
    static final class Node {
        final String location;
        final Path home;
        final Path site;
        final Path events;
        final int port;
        NodeProcess process;

        Node(String location, Path home, int port) {
            this.location = location;
            this.home = home;
            this.site = home.resolve("public");
            this.events = home.resolve("agent-events.log");
            this.port = port;
        }

        /** When each agent of this node crashed (exit 1), in ms since the epoch. */
        List<Long> crashes() throws IOException {
            List<Long> times = new ArrayList<>();
            if (Files.exists(events)) {
                for (String line : Files.readAllLines(events)) {
                    if (line.endsWith(" exit 1")) {
                        times.add(Long.parseLong(line.substring(0, line.indexOf(' '))));
                    }
                }
            }
            return times;
        }

        List<Long> agentPids() throws IOException {
            List<Long> pids = new ArrayList<>();
            if (Files.exists(events)) {
                Matcher m = Pattern.compile("start pid=(\\d+)").matcher(Files.readString(events));
                while (m.find()) {
                    pids.add(Long.parseLong(m.group(1)));
                }
            }
            return pids;
        }
    }

    final EdgeSimulator edge;
    final Node a;
    final Node b;
    private final Path cloudflared;

    private TwoNodeCluster(Path dir, EdgeSimulator edge) throws IOException {
        this.edge = edge;
        this.cloudflared = FakeAgentInstall.create(dir.resolve("bin"));
        this.a = new Node(FRA, dir.resolve("node-a"), FreePort.pick());
        this.b = new Node(AMS, dir.resolve("node-b"), FreePort.pick());
        for (Node n : List.of(a, b)) {
            writeSite(n.site);
        }
    }

    /** Starts both nodes; nodeConfig is each node's haflare.yml, extraEnvA goes to A (agent switches). */
    static TwoNodeCluster start(Path dir, EdgeSimulator.Settings settings, String nodeConfig, Map<String, String> extraEnvA)
            throws IOException {
        TwoNodeCluster cluster = new TwoNodeCluster(dir, new EdgeSimulator(settings, FRA, AMS));
        cluster.launch(cluster.a, nodeConfig, extraEnvA);
        cluster.launch(cluster.b, nodeConfig, Map.of());
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> cluster.connected() || !cluster.a.process.isAlive()
                    || !cluster.b.process.isAlive());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // reported below with what the nodes said
        }
        if (!cluster.connected()) {
            String why = "the nodes did not connect; A: " + cluster.a.process.errText() + "\nB: " + cluster.b.process.errText();
            cluster.close();
            throw new AssertionError(why);
        }
        return cluster;
    }

    private boolean connected() {
        return edge.connections(FRA) == 4 && edge.connections(AMS) == 4;
    }

    private void launch(Node n, String config, Map<String, String> extraEnv) throws IOException {
        Files.writeString(n.home.resolve("haflare.yml"), config);
        Map<String, String> env = new HashMap<>(Map.of("TUNNEL_TOKEN", FakeAgentInstall.TOKEN,
                "FAKE_AGENT_EVENTS", n.events.toString(), "FAKE_AGENT_ORIGIN", "http://127.0.0.1:" + n.port));
        env.putAll(extraEnv);
        n.process = NodeProcess.start(n.home, env, "run", "--site", n.site.toString(), "--listen", "127.0.0.1:" + n.port,
                "--cloudflared", cloudflared.toString(), "--data-dir", n.home.resolve("data").toString(),
                "--access-log", "off", "--agent-arg", "--edge", "--agent-arg", edge.address(n.location));
    }

    /** The site breaks the way a bad deploy or a slip of rm does: its directory is gone. */
    void breakSite(Node n) throws IOException {
        Files.move(n.site, n.home.resolve("public-broken"));
    }

    void repairSite(Node n) throws IOException {
        Files.move(n.home.resolve("public-broken"), n.site);
    }

    /** SIGKILL to the node and its agent at once: the machine lost power, or the OOM killer took the service. */
    void killHard(Node n) {
        ProcessHandle.of(n.process.pid()).ifPresent(node -> {
            List<ProcessHandle> all = new ArrayList<>(node.descendants().toList());
            all.add(node);
            all.forEach(ProcessHandle::destroyForcibly);
        });
    }

    void admin(Node n, String path) throws Exception {
        int port = n.process.awaitAdmin();
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    private static void writeSite(Path site) throws IOException {
        Files.createDirectories(site.resolve("css"));
        Files.createDirectories(site.resolve("img"));
        String page = "<!doctype html><html><head><link rel=stylesheet href=/css/main.3f1a9c2e7b.css></head><body>%s"
                + "<p>" + "Lorem ipsum dolor sit amet. ".repeat(60) + "</p></body></html>";
        Files.writeString(site.resolve("index.html"), page.formatted("<h1>home</h1>"));
        Files.createDirectories(site.resolve("about"));
        Files.writeString(site.resolve("about/index.html"), page.formatted("<h1>about</h1>"));
        for (int i = 1; i <= 4; i++) {
            Files.createDirectories(site.resolve("posts/" + i));
            Files.writeString(site.resolve("posts/" + i + "/index.html"), page.formatted("<h1>post " + i + "</h1>"));
        }
        Files.writeString(site.resolve("css/main.3f1a9c2e7b.css"), "body{font:16px/1.5 serif}\n".repeat(40));
        Files.writeString(site.resolve("img/logo.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        Files.writeString(site.resolve("404.html"), page.formatted("<h1>not found</h1>"));
    }

    @Override
    public void close() throws IOException {
        for (Node n : List.of(a, b)) {
            if (n.process != null) {
                killHard(n);
                n.process.close();
            }
            for (long pid : n.agentPids()) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        edge.close();
    }
}
