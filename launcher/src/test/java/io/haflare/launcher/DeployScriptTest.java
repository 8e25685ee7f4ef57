package io.haflare.launcher;

import io.haflare.launcher.fake.FreePort;
import io.haflare.server.files.ContentFingerprint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * dist/examples/deploy-site.sh against two real nodes. ssh is a stand-in that runs the command on this
 * machine in the node's own directory, so rsync, the deploy and the verify all really run.
 */
class DeployScriptTest {
    static final Path SCRIPT = Path.of("..", "dist", "examples", "deploy-site.sh").toAbsolutePath().normalize();
    static final Path WORKFLOW = SCRIPT.resolveSibling("github-actions-deploy.yml");

    @TempDir
    Path dir;

    record Run(int exit, String output) {}

    private Path fakeSsh() throws IOException {
        Path ssh = dir.resolve("bin/ssh");
        Files.createDirectories(ssh.getParent());
        Files.writeString(ssh, "#!/bin/sh\n# stands in for ssh: runs the command in $FAKE_SSH_ROOT/<host> here\n"
                + "host=$1; shift\ncd \"$FAKE_SSH_ROOT/$host\" || exit 255\nexec sh -c \"$*\"\n");
        Files.setPosixFilePermissions(ssh, PosixFilePermissions.fromString("rwxr-xr-x"));
        return ssh;
    }

    private Path node(String name, int adminPort) throws Exception {
        Path home = Files.createDirectories(dir.resolve("nodes").resolve(name));
        Files.writeString(home.resolve("haflare.yml"), "site:\n  root: sites/current\n  listen: 127.0.0.1:0\n"
                + "admin:\n  listen: 127.0.0.1:" + adminPort + "\n");
        return home;
    }

    private Path build(String name, String text) throws IOException {
        Path site = Files.createDirectories(dir.resolve(name));
        Files.writeString(site.resolve("index.html"), "<h1>" + text + "</h1>");
        Files.writeString(site.resolve("404.html"), "missing");
        return site;
    }

    private Run script(Path ssh, String... args) throws Exception {
        return script(ssh, Map.of(), args);
    }

    private Run script(Path ssh, Map<String, String> extraEnv, String... args) throws Exception {
        String haflare = Path.of(System.getProperty("java.home"), "bin", "java") + " -cp "
                + System.getProperty("java.class.path") + " " + HaflareNode.class.getName();
        List<String> command = new java.util.ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(Map.of("FAKE_SSH_ROOT", dir.resolve("nodes").toString(), "DEPLOY_SSH", ssh.toString(),
                "DEPLOY_LOCAL_CMD", haflare, "DEPLOY_REMOTE_CMD", haflare, "DEPLOY_REMOTE_CONFIG", "haflare.yml",
                "DEPLOY_INCOMING", "incoming", "DEPLOY_ID", "ci-" + System.nanoTime()));
        builder.environment().putAll(extraEnv);
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    @Test
    void deploysToEveryNodeAndFailsNamingTheNodeThatDoesNotServeTheBuild() throws Exception {
        Path ssh = fakeSsh();
        int adminA = FreePort.pick();
        int adminB = FreePort.pick();
        Path a = node("node-a", adminA);
        Path b = node("node-b", adminB);
        Run first = script(ssh, build("v1", "one").toString(), "node-a", "node-b");
        assertThat(first.exit()).as(first.output()).isEqualTo(1); // deployed, but no node runs yet to verify
        assertThat(first.output()).contains("FAILED on: node-a (verify) node-b (verify)");
        assertThat(a.resolve("sites/current/index.html")).hasContent("<h1>one</h1>");
        assertThat(a.resolve("incoming")).as("the upload is removed once deployed").isEmptyDirectory();
        assertThat(b.resolve("incoming")).isEmptyDirectory();

        try (NodeProcess nodeA = NodeProcess.start(a, Map.of("HAFLARE_ADMIN_LISTEN", "127.0.0.1:" + adminA), "serve");
             NodeProcess nodeB = NodeProcess.start(b, Map.of("HAFLARE_ADMIN_LISTEN", "127.0.0.1:" + adminB), "serve")) {
            nodeA.awaitAdmin();
            nodeB.awaitAdmin();
            Path v2 = build("v2", "two");
            Run second = script(ssh, v2.toString(), "node-a", "node-b");
            assertThat(second.exit()).as(second.output()).isZero();
            assertThat(second.output()).contains("all 2 nodes serve release").contains(ContentFingerprint.of(v2))
                    .contains("ok: the node serves " + ContentFingerprint.of(v2));

            nodeB.terminate();
            assertThat(nodeB.awaitExit(Duration.ofSeconds(20))).isZero();
            Run third = script(ssh, build("v3", "three").toString(), "node-a", "node-b");
            assertThat(third.exit()).as(third.output()).isEqualTo(1);
            assertThat(third.output()).contains("FAILED on: node-b (verify); the other nodes serve");
        }
        Path stray = Files.createDirectories(a.resolve("incoming/keep-me"));
        Map<String, String> env = Map.of("DEPLOY_ID", "../keep-me");
        Run unsafe = script(ssh, env, build("v4", "four").toString(), "node-a");
        assertThat(unsafe.exit()).as(unsafe.output()).isEqualTo(2);
        assertThat(unsafe.output()).contains("DEPLOY_ID '../keep-me' is not a release id");
        assertThat(stray).exists();
    }

    @Test
    void theScriptAndTheWorkflowPassShellcheck() throws Exception {
        Path shellcheck = Path.of("/usr/bin/shellcheck");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(shellcheck) || System.getenv("CI") != null,
                "shellcheck (Debian package shellcheck) is installed by .ci/run");
        Process p = new ProcessBuilder(shellcheck.toString(), SCRIPT.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(Files.readString(WORKFLOW)).contains("bash deploy-site.sh public $HOSTS")
                .doesNotContain("${{ secrets.DEPLOY_SSH_KEY }}\" >");
    }
}
