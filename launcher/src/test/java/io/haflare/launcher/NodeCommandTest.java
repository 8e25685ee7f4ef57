package io.haflare.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class NodeCommandTest {
    static final Duration EXIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withoutSiteOrPublicDirectoryServesTheWelcomePage() throws Exception {
        try (NodeProcess node = NodeProcess.start(dir, "--listen", "127.0.0.1:0", "--access-log", "off")) {
            int port = node.awaitServing();
            HttpResponse<String> r = get(port, "/");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("haflare-node is running").contains("--site");
            assertThat(get(port, "/anything").statusCode()).isEqualTo(404);
            assertThat(get(port, "/;jsessionid=1").statusCode()).isEqualTo(404); // ";" is part of the path
            assertThat(node.errText()).contains("embedded welcome page");
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aLowOpenFileLimitCapsConnectionsSoServingResumesAsSoonAsAFloodEnds() throws Exception {
        Files.createDirectories(dir.resolve("public"));
        Files.writeString(dir.resolve("public/index.html"), "<h1>up</h1>");
        try (NodeProcess node = NodeProcess.startWithOpenFileLimit(dir, 256, "--listen", "127.0.0.1:0",
                "--access-log", "off")) {
            int port = node.awaitServing();
            assertThat(node.errText()).contains("at most 64 connections at once: the open-file limit is 256")
                    .contains("LimitNOFILE=");
            Path descriptors = Path.of("/proc", Long.toString(node.pid()), "fd");
            List<Socket> flood = new ArrayList<>();
            try {
                for (int i = 0; i < 300; i++) {
                    flood.add(new Socket("127.0.0.1", port)); // the kernel's backlog takes what is not accepted
                }
                // at the limit, accept() would fail and XNIO stop accepting for a back-off growing to 30 s
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                        .until(() -> count(descriptors) < 256 - 32);
            } finally {
                for (Socket s : flood) {
                    s.close();
                }
            }
            await().atMost(Duration.ofSeconds(3)).until(() -> statusOrZero(port) == 200);
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aFileTheNodeMayNotReadIs403AndNamedInTheLogOnce() throws Exception {
        Path site = Files.createDirectories(dir.resolve("public"));
        Files.writeString(site.resolve("index.html"), "<h1>up</h1>");
        Path secret = Files.writeString(site.resolve("private.css"), "body{}");
        Path locked = Files.createDirectories(site.resolve("locked"));
        Files.writeString(locked.resolve("index.html"), "<h1>locked</h1>");
        Path large = Files.write(site.resolve("large.bin"), new byte[200 * 1024]); // sent from disk, not memory
        Files.setPosixFilePermissions(secret, java.util.Set.of());
        Files.setPosixFilePermissions(locked, java.util.Set.of());
        Files.setPosixFilePermissions(large, java.util.Set.of());
        try (NodeProcess node = NodeProcess.startBoundByPermissions(dir, "--listen", "127.0.0.1:0",
                "--access-log", "off")) {
            int port = node.awaitServing();
            assertThat(get(port, "/").statusCode()).isEqualTo(200);
            for (int i = 0; i < 2; i++) {
                assertThat(get(port, "/private.css").statusCode()).isEqualTo(403);
                assertThat(get(port, "/locked/").statusCode()).isEqualTo(403);
                assertThat(get(port, "/large.bin").statusCode()).isEqualTo(403);
            }
            node.awaitLog("cannot read " + secret + ": permission denied, answering 403", Duration.ofSeconds(5));
            node.awaitLog("cannot read " + locked.resolve("index.html") + ": permission denied", Duration.ofSeconds(5));
            assertThat(node.stderr().stream().filter(l -> l.contains("cannot read " + secret))).hasSize(1);
            // fixed permissions show at once: a 403 is never cached
            Files.setPosixFilePermissions(secret, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            assertThat(get(port, "/private.css").body()).isEqualTo("body{}");
        } finally {
            Files.setPosixFilePermissions(locked, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /** Whether this JVM was started with SIGHUP ignored (bit 0 of SigIgn), which its children inherit. */
    private static boolean hangUpIgnored() throws java.io.IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("SigIgn:"))
                .anyMatch(l -> (Long.parseLong(l.substring(7).trim(), 16) & 1) != 0);
    }

    private static long count(Path dir) throws java.io.IOException {
        try (java.util.stream.Stream<Path> entries = Files.list(dir)) {
            return entries.count();
        }
    }

    private static int statusOrZero(int port) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .timeout(Duration.ofMillis(500)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return 0;
        }
    }

    @Test
    void servesThePublicDirectoryByDefault() throws Exception {
        Files.createDirectories(dir.resolve("public"));
        Files.writeString(dir.resolve("public/index.html"), "<h1>from ./public</h1>");
        try (NodeProcess node = NodeProcess.start(dir, "--listen", "127.0.0.1:0")) {
            int port = node.awaitServing();
            assertThat(get(port, "/").body()).isEqualTo("<h1>from ./public</h1>");
            await().atMost(Duration.ofSeconds(5)).until(() -> node.stdout().stream().anyMatch(l -> l.contains("\"GET / HTTP/1.1\" 200")));
        }
    }

    @Test
    void aSiteListeningBeyondLoopbackIsWarnedAbout() throws Exception {
        try (NodeProcess node = NodeProcess.start(dir, "--listen", "0.0.0.0:0")) {
            node.awaitServing();
            node.awaitLog("WRN server 0.0.0.0:", Duration.ofSeconds(5));
            assertThat(node.errText()).contains("is not a loopback address: the site is reachable without Cloudflare");
        }
        try (NodeProcess node = NodeProcess.start(dir, "--listen", "127.0.0.1:0")) {
            node.awaitLog("admin API on", Duration.ofSeconds(20)); // logged after the warning would be
            assertThat(node.errText()).doesNotContain("not a loopback address");
        }
    }

    @Test
    void missingSiteIsExit2NamingThePathAndTheFlag() {
        try (NodeProcess node = NodeProcess.start(dir, "--site", "nope/public")) {
            assertThat(node.awaitExit(EXIT)).isEqualTo(2);
            assertThat(node.errText()).contains(dir.resolve("nope/public").toAbsolutePath().toString())
                    .contains("does not exist").contains("--site");
            assertThat(node.errText()).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    /** The packaged service's site before the first deploy, and after its release was removed by hand. */
    @Test
    void aCurrentLinkNotThereYetOrPointingNowhereSaysWhatToDo() throws Exception {
        Path sites = Files.createDirectories(dir.resolve("sites"));
        try (NodeProcess node = NodeProcess.start(dir, "--site", "sites/current")) {
            assertThat(node.awaitExit(EXIT)).isEqualTo(2);
            assertThat(node.errText()).contains("site " + sites.resolve("current") + " does not exist yet: no release is"
                    + " deployed in " + sites + " (`haflare-node deploy ./public --sites " + sites + "` makes one)");
        }
        Files.createSymbolicLink(sites.resolve("current"), Path.of("releases/v1"));
        try (NodeProcess node = NodeProcess.start(dir, "--site", "sites/current")) {
            assertThat(node.awaitExit(EXIT)).isEqualTo(2);
            assertThat(node.errText()).contains("site " + sites.resolve("current") + " points to releases/v1, which is"
                    + " gone (`haflare-node releases --sites " + sites + "` lists what is there");
        }
    }

    @Test
    void siteThatIsAFileIsExit2() throws Exception {
        Files.writeString(dir.resolve("file.txt"), "x");
        try (NodeProcess node = NodeProcess.start(dir, "--site", "file.txt")) {
            assertThat(node.awaitExit(EXIT)).isEqualTo(2);
            assertThat(node.errText()).contains("is not a directory");
        }
    }

    @Test
    void portInUseIsExit2NamingTheAddressAndTheFlag() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
             NodeProcess node = NodeProcess.start(dir, "--listen", "127.0.0.1:" + taken.getLocalPort())) {
            assertThat(node.awaitExit(EXIT)).isEqualTo(2);
            assertThat(node.errText()).contains("127.0.0.1:" + taken.getLocalPort()).contains("already in use")
                    .contains("--listen");
        }
    }

    @Test
    void adminPortInUseIsExit2NamingTheAdminAddressAndItsFlag() throws Exception {
        // two nodes on one machine both want the default admin port: the error must not blame the site's,
        // which the node had bound by then (a fixed port, as in real use: port 0 can always be bound again)
        int sitePort;
        try (ServerSocket free = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            sitePort = free.getLocalPort();
        }
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
             NodeProcess node = NodeProcess.start(dir, "--listen", "127.0.0.1:" + sitePort,
                     "--admin", "127.0.0.1:" + taken.getLocalPort())) {
            assertThat(node.awaitExit(EXIT)).isEqualTo(2);
            assertThat(node.errText()).contains("127.0.0.1:" + taken.getLocalPort() + " is already in use")
                    .contains("--admin HOST:PORT").doesNotContain("--listen");
        }
    }

    @Test
    void malformedListenIsExit2() {
        try (NodeProcess node = NodeProcess.start(dir, "--listen", "localhost")) {
            assertThat(node.awaitExit(EXIT)).isEqualTo(2);
            assertThat(node.errText()).contains("--listen 'localhost' is not HOST:PORT");
        }
    }

    @Test
    void unknownFlagIsExit2WithUsage() {
        try (NodeProcess node = NodeProcess.start(dir, "--no-such-flag")) {
            assertThat(node.awaitExit(EXIT)).isEqualTo(2);
            assertThat(node.errText()).contains("Unknown option: '--no-such-flag'");
        }
    }

    @ParameterizedTest
    @CsvSource({"TERM, 0, 'received SIGTERM: shutting down'",
        "HUP, 129, 'received SIGHUP: shutting down, then exit 129'"})
    @EnabledOnOs(OS.LINUX)
    void aSignalStopsTheNodeInOrder(String signal, int exit, String logged) throws Exception {
        // under nohup SIGHUP is ignored, and the JVM leaves an ignored SIGHUP ignored, rightly: so will the node
        org.junit.jupiter.api.Assumptions.assumeFalse(signal.equals("HUP") && hangUpIgnored(),
                "SIGHUP is ignored in this environment (nohup), so the node ignores it too");
        Files.createDirectories(dir.resolve("public"));
        Files.writeString(dir.resolve("public/index.html"), "ok");
        try (NodeProcess node = NodeProcess.start(dir, "--listen", "127.0.0.1:0")) {
            int port = node.awaitServing();
            assertThat(get(port, "/").statusCode()).isEqualTo(200);
            new ProcessBuilder("kill", "-" + signal, Long.toString(node.pid())).start().waitFor();
            assertThat(node.awaitExit(Duration.ofSeconds(15))).isEqualTo(exit);
            assertThat(node.errText()).contains(logged).contains("server stopped");
        }
    }

    /** nginx's log-reopen and binary-upgrade signals: SIGUSR2's default action ended the JVM at once. */
    @Test
    @EnabledOnOs(OS.LINUX)
    void nginxsUsr1AndUsr2AreLoggedAndIgnored() throws Exception {
        try (NodeProcess node = NodeProcess.start(dir, "--listen", "127.0.0.1:0")) {
            int port = node.awaitServing();
            node.awaitLog("admin API on", EXIT); // the handlers are in place before this line
            for (String signal : new String[] {"USR1", "USR2"}) {
                new ProcessBuilder("kill", "-" + signal, Long.toString(node.pid())).start().waitFor();
                node.awaitLog("received SIG" + signal + ": ignored (", Duration.ofSeconds(5));
            }
            assertThat(get(port, "/").statusCode()).isEqualTo(200);
            assertThat(node.isAlive()).isTrue();
        }
    }

    @Test
    void helpAndVersionExit0() {
        try (NodeProcess help = NodeProcess.start(dir, "--help")) {
            assertThat(help.awaitExit(EXIT)).isEqualTo(0);
            assertThat(String.join("\n", help.stdout())).contains("--site").contains("--listen").contains("127.0.0.1:8080");
        }
        try (NodeProcess version = NodeProcess.start(dir, "--version")) {
            assertThat(version.awaitExit(EXIT)).isEqualTo(0);
            assertThat(String.join("\n", version.stdout())).startsWith("haflare-node ");
        }
        try (NodeProcess help = NodeProcess.start(dir, "help")) { // git-style, as people type it
            assertThat(help.awaitExit(EXIT)).isEqualTo(0);
            assertThat(String.join("\n", help.stdout())).contains("deploy").contains("rollback").contains("--listen");
        }
        try (NodeProcess help = NodeProcess.start(dir, "help", "deploy")) {
            assertThat(help.awaitExit(EXIT)).isEqualTo(0);
            assertThat(String.join("\n", help.stdout())).startsWith("Usage: haflare-node deploy").contains("--sites=DIR");
        }
    }
}
