package io.haflare.launcher;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The admin status page, rendered by headless Chromium (Debian package chromium; .ci/run installs it). */
class StatusPageTest extends FakeAgentFixture {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    String chromium(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + dir.resolve("chromium-profile"), "--virtual-time-budget=5000"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(dir.resolve("chromium.err").toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void thePageRendersTheNodesStateAndTheLastHour() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) || System.getenv("CI") != null,
                "chromium (Debian package) is installed by .ci/run");
        NodeProcess node = node(Map.of("FAKE_AGENT_CRASH_AFTER", "2",
                "FAKE_AGENT_CRASH_FILE", dir.resolve("crashes").toString()));
        int admin = node.awaitAdmin();
        await().atMost(STARTUP).until(() -> agentPids().size() >= 2 && edge.connections() == 4);
        node.awaitLog("agent connected", STARTUP);

        String dom = chromium("--dump-dom", "http://127.0.0.1:" + admin + "/");
        assertThat(dom).contains("haflare-node ").contains(">healthy<").contains("CONNECTED")
                .contains("4 connections · fra08").contains("class=\"band site\"").contains("data-value=\"CONNECTED\"")
                .contains("class=\"restart\"").contains("agent connected").contains("<p id=\"error\"></p>");

        Path screenshot = Path.of(System.getProperty("java.io.tmpdir"), "haflare-status-page.png");
        chromium("--screenshot=" + screenshot, "--window-size=1100,900", "http://127.0.0.1:" + admin + "/");
        assertThat(screenshot).isRegularFile();
        assertThat(Files.size(screenshot)).isGreaterThan(10_000);
    }
}
