package io.haflare.launcher;

import io.haflare.launcher.fake.FakeAgentInstall;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class OtherCommandsTest {
    static final Duration EXIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void checkPassesAndPrintsTheEffectiveConfigurationWithoutTheToken() throws Exception {
        Files.createDirectories(dir.resolve("public"));
        Files.writeString(dir.resolve("public/index.html"), "<h1>home</h1>");
        Path agent = FakeAgentInstall.create(dir.resolve("bin"));
        try (NodeProcess check = NodeProcess.start(dir, Map.of("TUNNEL_TOKEN", FakeAgentInstall.TOKEN),
                "check", "--listen", "127.0.0.1:0", "--cloudflared", agent.toString())) {
            assertThat(check.awaitExit(EXIT)).isEqualTo(0);
            String out = String.join("\n", check.stdout());
            assertThat(out).contains("ok       site: " + dir.resolve("public"))
                    .contains("ok       token: from TUNNEL_TOKEN, shaped like a tunnel token")
                    .contains("ok       agent: " + agent + " (tunnel.cloudflared): cloudflared version 2025.5.0")
                    .contains("  gracePeriod: 30s")
                    .contains("all checks passed")
                    .doesNotContain(FakeAgentInstall.TOKEN).doesNotContain(FakeAgentInstall.SECRET);
        }
        Files.writeString(agent, "#!/bin/sh\necho 'usage: some other tool'\n");
        try (NodeProcess check = NodeProcess.start(dir, Map.of("TUNNEL_TOKEN", FakeAgentInstall.TOKEN),
                "check", "--listen", "127.0.0.1:0", "--cloudflared", agent.toString())) {
            assertThat(check.awaitExit(EXIT)).isEqualTo(1);
            assertThat(String.join("\n", check.stdout())).contains("PROBLEM  agent: " + agent + " (tunnel.cloudflared)"
                    + " answered --version with 'usage: some other tool', not 'cloudflared version ...'");
        }
    }

    /**
     * Cloudflare's own service (`cloudflared service install TOKEN`), set up before the node: it keeps the replica
     * in rotation whatever the node does. A stand-in: a script named cloudflared that sleeps, with the agent's
     * arguments, whose /proc entries look as the real one's do.
     */
    @Test
    void checkFindsAnotherCloudflaredRunningTheNodesTunnel() throws Exception {
        Files.createDirectories(dir.resolve("public"));
        Files.writeString(dir.resolve("public/index.html"), "<h1>home</h1>");
        Path agent = FakeAgentInstall.create(dir.resolve("bin"));
        Path other = Files.createDirectories(dir.resolve("usr-bin")).resolve("cloudflared");
        Files.writeString(other, "#!/bin/sh\nsleep 60\n");
        other.toFile().setExecutable(true);
        String otherTunnel = java.util.Base64.getEncoder().encodeToString(("{\"a\":\"0123456789abcdef0123456789abcdef\","
                + "\"t\":\"00000000-765d-4adf-8112-31c55c1551ef\",\"s\":\"b3RoZXI=\"}").getBytes());
        String[] check = {"check", "--listen", "127.0.0.1:0", "--admin", "off", "--cloudflared", agent.toString()};

        Process same = new ProcessBuilder("/bin/sh", other.toString(), "--no-autoupdate", "tunnel", "run", "--token",
                FakeAgentInstall.TOKEN).start();
        try (NodeProcess found = NodeProcess.start(dir, Map.of("TUNNEL_TOKEN", FakeAgentInstall.TOKEN), check)) {
            assertThat(found.awaitExit(EXIT)).isEqualTo(1);
            assertThat(String.join("\n", found.stdout())).contains("PROBLEM  other agent: another cloudflared (pid "
                    + same.pid() + ") runs this node's tunnel outside the node: it keeps this replica in rotation while"
                    + " the node has stopped its own agent for an unhealthy site, and visitors sent to it get 502s; stop it")
                    .doesNotContain(FakeAgentInstall.TOKEN).doesNotContain(FakeAgentInstall.SECRET);
        }
        try (NodeProcess node = NodeProcess.start(dir, Map.of("TUNNEL_TOKEN", FakeAgentInstall.TOKEN), "run", "--listen",
                "127.0.0.1:0", "--admin", "off", "--cloudflared", agent.toString(), "--data-dir",
                dir.resolve("data").toString())) {
            assertThat(node.awaitLog("WRN node another cloudflared (pid " + same.pid() + ") runs this node's tunnel",
                    EXIT)).doesNotContain(FakeAgentInstall.TOKEN);
        } finally {
            same.descendants().forEach(ProcessHandle::destroy);
            same.destroy();
        }

        ProcessBuilder another = new ProcessBuilder("/bin/sh", other.toString(), "tunnel", "run");
        another.environment().put("TUNNEL_TOKEN", otherTunnel);
        Process elsewhere = another.start();
        Process named = new ProcessBuilder("/bin/sh", other.toString(), "tunnel", "run", "my-tunnel").start();
        // another node's agent (a second node on this machine, say): its node supervises it
        Path node = Files.writeString(dir.resolve("usr-bin/haflare-node"), "#!/bin/sh\n/bin/sh " + other
                + " tunnel run --token \"$1\" &\nwait\n");
        Process supervised = new ProcessBuilder("/bin/sh", node.toString(), FakeAgentInstall.TOKEN).start();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> supervised.children().findAny().isPresent());
        try (NodeProcess found = NodeProcess.start(dir, Map.of("TUNNEL_TOKEN", FakeAgentInstall.TOKEN), check)) {
            assertThat(found.awaitExit(EXIT)).as("another tunnel's is no business of this node's").isZero();
            assertThat(found.stdout()).noneMatch(l -> l.contains("pid " + elsewhere.pid()))
                    .noneMatch(l -> l.contains("runs this node's tunnel"))
                    .contains("warning  other agent: another cloudflared (pid " + named.pid() + ") runs on this machine"
                            + " outside the node; if it serves this tunnel, it keeps this replica in rotation while the"
                            + " node has stopped its own agent for an unhealthy site, and visitors sent to it get 502s;"
                            + " stop it");
        } finally {
            for (Process p : List.of(elsewhere, named, supervised)) {
                p.descendants().forEach(ProcessHandle::destroy);
                p.destroy();
            }
        }
    }

    /** A drain outlives restarts; one forgotten after maintenance keeps the node out of rotation for good. */
    @Test
    void checkSaysWhenTheNodeIsDrained() throws Exception {
        Files.createDirectories(dir.resolve("public"));
        Files.writeString(dir.resolve("public/index.html"), "<h1>home</h1>");
        Path agent = FakeAgentInstall.create(dir.resolve("bin"));
        new io.haflare.launcher.status.DrainFile(dir.resolve("data")).set();
        try (NodeProcess check = NodeProcess.start(dir, Map.of("TUNNEL_TOKEN", FakeAgentInstall.TOKEN), "check",
                "--listen", "127.0.0.1:0", "--admin", "off", "--cloudflared", agent.toString(), "--data-dir",
                dir.resolve("data").toString())) {
            assertThat(check.awaitExit(EXIT)).isZero();
            assertThat(String.join("\n", check.stdout())).containsPattern("ok       drain: the node is drained \\(drained"
                    + " at \\S+\\): its agent stays stopped until `haflare-node resume`");
        }
    }

    @Test
    void checkReportsEveryProblemAndExits1() throws Exception {
        try (NodeProcess check = NodeProcess.start(dir, Map.of("TUNNEL_TOKEN", "garbage", "PATH", "/nonexistent"),
                "check", "--site", "missing", "--listen", "127.0.0.1:http", "--agent-arg", "--token=x",
                "--access-log", "no-such-dir/access.log")) {
            assertThat(check.awaitExit(EXIT)).isEqualTo(1);
            String out = String.join("\n", check.stdout());
            assertThat(out).contains("PROBLEM  site:").contains("PROBLEM  listen:").contains("PROBLEM  token:")
                    .contains("PROBLEM  access log: cannot write ").contains("no-such-dir is not a writable directory")
                    .contains("PROBLEM  agent args:").contains("PROBLEM  agent: no cloudflared found")
                    .contains("6 problems found").doesNotContain("garbage");
        }
    }

    /** A token in the agent's arguments is refused with or without a token of the node's own, and never printed. */
    @Test
    void checkRefusesATokenInTheAgentArgumentsAndDoesNotPrintIt() throws Exception {
        Files.createDirectories(dir.resolve("public"));
        Files.writeString(dir.resolve("public/index.html"), "<h1>hi</h1>");
        try (NodeProcess check = NodeProcess.start(dir, Map.of(), "check", "--listen", "127.0.0.1:0", "--admin", "off",
                "--agent-arg", "--token", "--agent-arg", "s3cr3t-one", "--agent-arg", "--token=s3cr3t-two")) {
            assertThat(check.awaitExit(EXIT)).isEqualTo(1);
            String out = String.join("\n", check.stdout()) + String.join("\n", check.stderr());
            assertThat(out).contains("PROBLEM  agent args: agent argument --token would put the tunnel token in the"
                    + " process list").contains("agentArgs: [--token, \"(hidden)\", \"--token=(hidden)\"]")
                    .doesNotContain("s3cr3t");
        }
    }

    /** The project directory given instead of its build output: the node would serve 404s and never start its agent. */
    @Test
    void checkReportsASiteWithoutAHomePageAndPointsAtTheBuildOutput() throws Exception {
        Path project = Files.createDirectories(dir.resolve("blog"));
        Files.writeString(project.resolve("hugo.toml"), "title = 'blog'\n");
        Files.createDirectories(project.resolve("public"));
        Files.writeString(project.resolve("public/index.html"), "<h1>home</h1>");
        try (NodeProcess check = NodeProcess.start(dir, "check", "--site", project.toString(), "--listen", "127.0.0.1:0",
                "--admin", "off")) {
            assertThat(check.awaitExit(EXIT)).isEqualTo(1);
            assertThat(String.join("\n", check.stdout())).contains("PROBLEM  site: " + project + " has no index.html at"
                    + " its root, so the health probe's GET / gets 404 and the agent would never start; "
                    + project.resolve("public") + " has one: is that the build output to serve?");
        }
        // lines of the rule files a node would ignore: warned (they are the site's, and it serves), as nginx -t warns
        Files.write(project.resolve("public/_redirects"), ("\uFEFF/old /new/ 301\n/gone\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try (NodeProcess check = NodeProcess.start(dir, "check", "--site", project.resolve("public").toString(),
                "--listen", "127.0.0.1:0", "--admin", "off")) {
            assertThat(check.awaitExit(EXIT)).isZero();
            assertThat(check.stdout()).contains("warning  rules: " + project.resolve("public/_redirects") + ":2: expected"
                    + " '/from /to [status]', found 1 field (line ignored)", "all checks passed")
                    .noneMatch(l -> l.contains("_redirects:1"));
        }
    }

    @Test
    void checkReportsAnAdminAddressInUseAndAcceptsTheAdminApiOff() throws Exception {
        Files.createDirectories(dir.resolve("public"));
        Files.writeString(dir.resolve("public/index.html"), "<h1>home</h1>");
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
             NodeProcess check = NodeProcess.start(dir, "check", "--listen", "127.0.0.1:0",
                     "--admin", "127.0.0.1:" + taken.getLocalPort())) {
            assertThat(check.awaitExit(EXIT)).isEqualTo(1);
            assertThat(String.join("\n", check.stdout()))
                    .contains("PROBLEM  admin: 127.0.0.1:" + taken.getLocalPort() + " is already in use (stop what listens"
                            + " there, or pass --admin HOST:PORT to use another address, or --admin off)")
                    .contains("1 problem found");
        }
        try (NodeProcess check = NodeProcess.start(dir, "check", "--listen", "192.0.2.1:8080", "--admin", "off")) {
            assertThat(check.awaitExit(EXIT)).isEqualTo(1);
            assertThat(String.join("\n", check.stdout())).contains("PROBLEM  listen: 192.0.2.1:8080 cannot be bound: that"
                    + " host is not an address of this machine (pass --listen HOST:PORT to use another address, for"
                    + " example 127.0.0.1)");
        }
        try (NodeProcess check = NodeProcess.start(dir, "check", "--listen", "127.0.0.1:0", "--admin", "off")) {
            assertThat(check.awaitExit(EXIT)).isEqualTo(0);
            assertThat(String.join("\n", check.stdout())).contains("ok       admin: off: no admin API");
        }
    }

    @Test
    void checkReportsABadConfigFileWithItsLine() throws Exception {
        Files.writeString(dir.resolve("haflare.yml"), "site:\n  listen: 127.0.0.1:0\nhealth:\n  interval: often\n");
        try (NodeProcess check = NodeProcess.start(dir, "check")) {
            assertThat(check.awaitExit(EXIT)).isEqualTo(1);
            assertThat(String.join("\n", check.stdout())).contains("PROBLEM  config:").contains("haflare.yml line 4")
                    .contains("health.interval");
        }
    }

    @Test
    void aBadConfigFileStopsRunWithExit2() throws Exception {
        Files.writeString(dir.resolve("haflare.yml"), "site:\n  lisen: 127.0.0.1:0\n");
        try (NodeProcess run = NodeProcess.start(dir)) {
            assertThat(run.awaitExit(EXIT)).isEqualTo(2);
            assertThat(run.errText()).contains("haflare.yml line 2: unknown key 'site.lisen'");
        }
    }

    /** Commands that only read the configuration list the flags they use, not the twelve that run and serve read. */
    @Test
    void theReleaseAndAdminCommandsHelpListsOnlyTheirOwnFlags() {
        for (String command : new String[] {"deploy", "rollback", "releases", "status", "drain", "resume", "verify"}) {
            try (NodeProcess help = NodeProcess.start(dir, command, "--help")) {
                assertThat(help.awaitExit(EXIT)).isZero();
                String text = String.join("\n", help.stdout());
                assertThat(text).as(command).contains("--config=FILE").doesNotContain("--no-gzip")
                        .doesNotContain("--agent-arg").doesNotContain("--listen").doesNotContain("--log-format");
                assertThat(text).as(command).contains(Set.of("status", "drain", "resume", "verify").contains(command)
                        ? "--admin=HOST:PORT" : "--sites=DIR");
            }
        }
        try (NodeProcess deploy = NodeProcess.start(dir, "deploy", "public", "--no-gzip")) {
            assertThat(deploy.awaitExit(EXIT)).isEqualTo(2);
            assertThat(deploy.errText()).contains("Unknown option: '--no-gzip'");
        }
    }

    @Test
    void versionSaysWhetherAnAgentIsBundled() {
        try (NodeProcess version = NodeProcess.start(dir, "version")) {
            assertThat(version.awaitExit(EXIT)).isEqualTo(0);
            assertThat(String.join("\n", version.stdout())).startsWith("haflare-node ").contains("Java 17")
                    .contains("agent: none bundled");
        }
    }

    @Test
    void serveNeverStartsAnAgentEvenWithAToken() throws Exception {
        Files.createDirectories(dir.resolve("public"));
        Files.writeString(dir.resolve("public/index.html"), "ok");
        try (NodeProcess serve = NodeProcess.start(dir, Map.of("TUNNEL_TOKEN", FakeAgentInstall.TOKEN, "PATH", "/nonexistent"),
                "serve", "--listen", "127.0.0.1:0")) {
            serve.awaitServing();
            serve.terminate();
            assertThat(serve.awaitExit(EXIT)).isEqualTo(0);
            assertThat(serve.errText()).doesNotContain("agent").doesNotContain("cloudflared");
        }
    }
}
