package io.haflare.launcher;

import io.haflare.server.files.ContentFingerprint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class DeployCommandsTest {
    static final Duration EXIT = Duration.ofSeconds(60);
    private static final Pattern PAGE = Pattern.compile("^<!-- release (\\d+) -->.*href=\"(/css/main\\.[0-9a-f]+\\.css)\".*<!-- release (\\d+) -->$",
            Pattern.DOTALL);

    @TempDir
    Path dir;

    /** A Hugo-like build: its stylesheet's name carries a hash of its content, as Hugo's fingerprint does. */
    private Path build(int n) throws Exception {
        Path site = dir.resolve("build-" + n);
        Files.createDirectories(site.resolve("css"));
        String css = "/* release " + n + " */ body { color: #" + (100 + n) + "; }\n" + "p { margin: 0 }\n".repeat(200);
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(css.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
        Files.writeString(site.resolve("css/main." + hash + ".css"), css);
        Files.writeString(site.resolve("index.html"), "<!-- release " + n + " -->\n<link rel=stylesheet href=\"/css/main."
                + hash + ".css\">\n" + "<p>lorem ipsum</p>\n".repeat(300) + "<!-- release " + n + " -->");
        Files.writeString(site.resolve("404.html"), "not found");
        return site;
    }

    private NodeProcess command(String... args) {
        return NodeProcess.start(dir, args);
    }

    @Test
    void deployRollbackAndReleasesFromTheCommandLine() throws Exception {
        Files.writeString(dir.resolve("haflare.yml"), "site:\n  root: sites/current\n");
        try (NodeProcess deploy = command("deploy", build(1).toString(), "--id", "v1")) {
            assertThat(deploy.awaitExit(EXIT)).as(deploy.errText()).isZero();
            List<String> out = deploy.stdout();
            assertThat(out).contains("deployed v1: 3 files, 8.8 KiB", "current -> releases/v1");
            assertThat(out.get(out.size() - 1)).isEqualTo(ContentFingerprint.of(dir.resolve("build-1")));
        }
        try (NodeProcess deploy = command("deploy", build(2).toString(), "--id", "v2")) {
            assertThat(deploy.awaitExit(EXIT)).isZero();
            assertThat(deploy.stdout()).contains("current -> releases/v2 (was v1)");
        }
        try (NodeProcess releases = command("releases")) {
            assertThat(releases.awaitExit(EXIT)).isZero();
            assertThat(releases.stdout()).hasSize(3);
            assertThat(releases.stdout().get(1)).startsWith("  v1  ").endsWith(ContentFingerprint.of(dir.resolve("build-1")));
            assertThat(releases.stdout().get(2)).startsWith("* v2  ").containsPattern(" 3 +8\\.8 KiB  sha256:");
        }
        try (NodeProcess rollback = command("rollback")) {
            assertThat(rollback.awaitExit(EXIT)).isZero();
            assertThat(rollback.stdout().get(0)).isEqualTo("current -> releases/v1 (was v2)");
        }
        Files.createDirectories(dir.resolve("sites/releases/by-hand")); // not made by deploy
        try (NodeProcess releases = command("releases")) {
            assertThat(releases.awaitExit(EXIT)).isZero();
            assertThat(releases.stdout()).anyMatch(l -> l.startsWith("  by-hand ")
                    && l.endsWith("? (no record: not made by deploy, checked before a rollback to it)"));
        }
        try (NodeProcess rollback = command("rollback", "by-hand")) {
            assertThat(rollback.awaitExit(EXIT)).isEqualTo(1);
            assertThat(rollback.stdout()).anyMatch(l -> l.startsWith("problem: no index.html at the root"));
            assertThat(rollback.errText()).contains("release by-hand is not servable; current still serves v1");
        }
        Path empty = Files.createDirectories(dir.resolve("empty"));
        try (NodeProcess refused = command("deploy", empty.toString())) {
            assertThat(refused.awaitExit(EXIT)).isEqualTo(1);
            assertThat(refused.stdout()).anyMatch(l -> l.startsWith("problem: no index.html at the root"));
            assertThat(refused.errText()).contains("1 problem(s): the release was not deployed; current still serves v1");
        }
        try (NodeProcess noSource = command("deploy", "nowhere")) {
            assertThat(noSource.awaitExit(EXIT)).isEqualTo(2);
            assertThat(noSource.errText()).contains("source " + dir.resolve("nowhere") + " does not exist");
            assertThat(noSource.stdout()).as("nothing staged, nothing said about staging").noneMatch(l -> l.startsWith("staging"));
        }
    }

    @Test
    void aSitesDirectoryTheUserMayNotWriteIsNamedWithWhatToDo() throws Exception {
        Path sites = Files.createDirectories(dir.resolve("sites"));
        Files.setPosixFilePermissions(sites, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
        try (NodeProcess deploy = NodeProcess.startBoundByPermissions(dir, "deploy", build(1).toString(), "--sites",
                sites.toString())) {
            assertThat(deploy.awaitExit(EXIT)).isEqualTo(1);
            assertThat(deploy.errText()).containsPattern("haflare-node: permission denied on " + sites + "/\\S+ \\(run"
                    + " as a user who may write there, or change its owner or mode\\)");
        } finally {
            Files.setPosixFilePermissions(sites, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /** A full disk, on a 256 KiB tmpfs (needs root, as CI runs): the file and what to do, the running release kept. */
    @Test
    void aFullFileSystemIsNamedAndTheCurrentReleaseKept() throws Exception {
        Path small = Files.createDirectories(dir.resolve("small"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", small.toString())
                .redirectErrorStream(true).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mount.waitFor() == 0, "mounting a tmpfs needs root");
        try {
            Path sites = small.resolve("sites");
            try (NodeProcess deploy = command("deploy", build(1).toString(), "--id", "v1", "--sites", sites.toString())) {
                assertThat(deploy.awaitExit(EXIT)).as(deploy.errText()).isZero();
            }
            Path big = build(2);
            byte[] noise = new byte[400 * 1024];
            new java.util.Random(7).nextBytes(noise);
            Files.write(big.resolve("video.bin"), noise);
            Path archive = dir.resolve("big.tgz");
            assertThat(new ProcessBuilder("tar", "czf", archive.toString(), "-C", big.toString(), ".").start().waitFor())
                    .isZero();
            for (Path source : List.of(big, archive)) {
                try (NodeProcess deploy = command("deploy", source.toString(), "--id", "v2", "--sites", sites.toString())) {
                    assertThat(deploy.awaitExit(EXIT)).isEqualTo(1);
                    assertThat(deploy.errText()).containsPattern("haflare-node: no space left on the file system of "
                            + Pattern.quote(sites + "/releases/.staging-") + "\\S+/video.bin \\(free some there: `df -h`"
                            + " shows how much is left\\)");
                }
                assertThat(Files.readSymbolicLink(sites.resolve("current"))).hasToString("releases/v1");
                try (var left = Files.list(sites.resolve("releases"))) {
                    assertThat(left).map(p -> p.getFileName().toString()).containsExactly("v1");
                }
            }
        } finally {
            new ProcessBuilder("umount", small.toString()).start().waitFor();
        }
    }

    @Test
    void withoutASitesDirectoryItSaysHowToNameOne() throws Exception {
        try (NodeProcess releases = command("releases")) {
            assertThat(releases.awaitExit(EXIT)).isEqualTo(2);
            assertThat(releases.errText()).contains("no sites directory: pass --sites DIR or set deploy.sitesDir");
        }
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
        try (NodeProcess releases = command("releases", "--sites", file.toString())) {
            assertThat(releases.awaitExit(EXIT)).isEqualTo(2);
            assertThat(releases.errText()).contains("the sites directory " + file + " is a file");
        }
    }

    /**
     * Deploys while clients load pages and then the stylesheet each page names: every page is whole, every
     * stylesheet is the one of the page's own release, and nothing fails, pruning included.
     */
    @Test
    void deploysUnderLoadWithoutAnErrorOrAMixedResponse() throws Exception {
        Path sites = dir.resolve("sites");
        try (NodeProcess first = command("deploy", build(0).toString(), "--sites", sites.toString())) {
            assertThat(first.awaitExit(EXIT)).isZero();
        }
        try (NodeProcess node = NodeProcess.start(dir, "serve", "--site", sites.resolve("current").toString(),
                "--listen", "127.0.0.1:0", "--access-log", "off")) {
            int port = node.awaitServing();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger pairs = new AtomicInteger();
            ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
            java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                Thread t = new Thread(() -> {
                    while (running.get()) {
                        try {
                            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            Matcher m = PAGE.matcher(page.body());
                            if (page.statusCode() != 200 || !m.matches() || !m.group(1).equals(m.group(3))) {
                                errors.add("page " + page.statusCode() + ": " + page.body().substring(0, Math.min(80, page.body().length())));
                                continue;
                            }
                            HttpResponse<String> css = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + m.group(2))).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            if (css.statusCode() != 200 || !css.body().startsWith("/* release " + m.group(1) + " */")) {
                                errors.add("stylesheet " + m.group(2) + " of release " + m.group(1) + ": " + css.statusCode());
                            }
                            seen.add(m.group(1));
                            pairs.incrementAndGet();
                        } catch (Exception e) {
                            errors.add(e.toString());
                        }
                    }
                });
                t.start();
                clients.add(t);
            }
            String last = null;
            for (int n = 1; n <= 5; n++) {
                try (NodeProcess deploy = command("deploy", build(n).toString(), "--sites", sites.toString(), "--keep", "2")) {
                    assertThat(deploy.awaitExit(EXIT)).as(deploy.errText()).isZero();
                    last = deploy.stdout().get(deploy.stdout().size() - 1);
                }
            }
            running.set(false);
            for (Thread t : clients) {
                t.join();
            }
            assertThat(errors).isEmpty();
            assertThat(pairs.get()).isGreaterThan(100);
            assertThat(seen).hasSizeGreaterThanOrEqualTo(4);
            assertThat(Files.list(sites.resolve("releases")).count()).isEqualTo(2);
            try (NodeProcess verify = NodeProcess.start(dir, Map.of(), "verify", "--expect", last, "--admin",
                    "127.0.0.1:" + node.awaitAdmin())) {
                assertThat(verify.awaitExit(EXIT)).as(verify.stdout().toString()).isZero();
            }
        }
    }
}
