package io.haflare.launcher;

import io.haflare.launcher.fake.FakeAgentInstall;
import io.haflare.launcher.fake.EdgeSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A site, the fake agent, a fake edge and the nodes a test starts, all cleaned up after it. */
abstract class FakeAgentFixture {
    static final Duration STARTUP = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    Path site;
    Path cloudflared;
    Path events;
    EdgeSimulator edge;
    final List<NodeProcess> nodes = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        site = dir.resolve("public");
        Files.createDirectories(site);
        Files.writeString(site.resolve("index.html"), "<h1>home</h1>");
        cloudflared = FakeAgentInstall.create(dir.resolve("bin"));
        events = dir.resolve("agent-events.log");
        edge = new EdgeSimulator("fra08");
    }

    @AfterEach
    void tearDown() throws Exception {
        nodes.forEach(NodeProcess::close);
        edge.close();
        // no agent outlives a test
        for (long pid : agentPids()) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    NodeProcess node(Map<String, String> extraEnv, String... extraArgs) {
        Map<String, String> env = new HashMap<>(Map.of("TUNNEL_TOKEN", FakeAgentInstall.TOKEN,
                "FAKE_AGENT_EVENTS", events.toString()));
        env.putAll(extraEnv);
        List<String> args = new ArrayList<>(List.of("run", "--site", site.toString(), "--listen", "127.0.0.1:0",
                "--cloudflared", cloudflared.toString(), "--data-dir", dir.resolve("data").toString(),
                "--access-log", "off", "--agent-arg", "--edge", "--agent-arg", edge.address()));
        args.addAll(List.of(extraArgs));
        NodeProcess node = NodeProcess.start(dir, env, args.toArray(String[]::new));
        nodes.add(node);
        return node;
    }

    List<String> events() throws Exception {
        return Files.exists(events) ? Files.readAllLines(events) : List.of();
    }

    List<Long> agentPids() throws Exception {
        List<Long> pids = new ArrayList<>();
        Matcher m;
        for (String line : events()) {
            m = Pattern.compile("start pid=(\\d+)").matcher(line);
            if (m.find()) {
                pids.add(Long.parseLong(m.group(1)));
            }
        }
        return pids;
    }

    long eventTime(String text) throws Exception {
        return events().stream().filter(l -> l.contains(text)).map(l -> Long.parseLong(l.substring(0, l.indexOf(' '))))
                .findFirst().orElseThrow(() -> new AssertionError("no agent event '" + text + "'"));
    }

    Path writeConfig(String yaml) throws Exception {
        Path file = dir.resolve("haflare.yml");
        Files.writeString(file, yaml);
        return file;
    }
}
