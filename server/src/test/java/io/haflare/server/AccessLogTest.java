package io.haflare.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class AccessLogTest {
    @TempDir
    Path dir;

    List<String> lines(Path log) throws Exception {
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    /** The one line a fresh server logs for what request sends it. */
    String lineFor(java.util.function.Consumer<RunningServer> request) throws Exception {
        HugoLikeSite site = HugoLikeSite.create(dir.resolve("public"));
        Path log = dir.resolve("access.log");
        try (RunningServer server = RunningServer.start(SiteConfig.defaults(site.root()).withAccessLog(log.toString()))) {
            request.accept(server);
            await().atMost(Duration.ofSeconds(5)).until(() -> lines(log).size() == 1);
        }
        return lines(log).get(0);
    }

    @Test
    void writesCombinedFormatWithTheVisitorFromCloudflaredAndTheRayId() throws Exception {
        String line = lineFor(server -> server.request()
                .header("CF-Connecting-IP", "203.0.113.7")
                .header("Cf-Ray", "8a1b2c3d4e5f6789-FRA")
                .header("Referer", "https://example.org/")
                .header("User-Agent", "Mozilla/5.0 \"quoted\"")
                .get("/about/?q=1").then().statusCode(200));
        assertThat(line).matches("203\\.0\\.113\\.7 - - \\[\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}\\] "
                + "\"GET /about/\\?q=1 HTTP/1\\.1\" 200 \\d+ \"https://example.org/\" "
                + "\"Mozilla/5\\.0 \\\\x22quoted\\\\x22\" \"8a1b2c3d4e5f6789-FRA\"");
    }

    @Test
    void theNodesOwnProbeIsServedButNeitherLoggedNorCountedWhileAGuessedValueIsAVisitor() throws Exception {
        HugoLikeSite site = HugoLikeSite.create(dir.resolve("public"));
        Path log = dir.resolve("access.log");
        try (RunningServer server = RunningServer.start(SiteConfig.defaults(site.root()).withAccessLog(log.toString()))) {
            var probe = server.probeHeader();
            assertThat(probe.getValue()).matches("[0-9a-f]{32}");
            server.request().header(probe.getKey(), probe.getValue()).get("/").then().statusCode(200)
                    .body(org.hamcrest.Matchers.containsString("home page"));
            server.request().header(probe.getKey(), probe.getValue()).get("/missing").then().statusCode(404);
            server.request().header(probe.getKey(), "0".repeat(32)).get("/about/").then().statusCode(200);
            server.request().get("/contact.html").then().statusCode(200);
            await().atMost(Duration.ofSeconds(5)).until(() -> lines(log).size() == 2);
            StringBuilder metrics = new StringBuilder();
            server.metrics().appendTo(metrics);
            assertThat(metrics).contains("haflare_http_requests_total{method=\"GET\",code=\"2xx\"} 2\n")
                    .contains("haflare_http_requests_total{method=\"GET\",code=\"4xx\"} 0\n");
        }
        List<String> lines = lines(log);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("\"GET /about/ HTTP/1.1\" 200 ");
        assertThat(lines.get(1)).contains("\"GET /contact.html HTTP/1.1\" 200 ");
    }

    @Test
    void requestsUndertowRefusesWhileParsingAreLoggedAndCountedByTheServerThatRefusedThem() throws Exception {
        HugoLikeSite site = HugoLikeSite.create(dir.resolve("public"));
        Path log = dir.resolve("access.log");
        Path otherLog = dir.resolve("other.log");
        try (RunningServer server = RunningServer.start(SiteConfig.defaults(site.root()).withAccessLog(log.toString()));
             RunningServer other = RunningServer.start(SiteConfig.defaults(site.root()).withAccessLog(otherLog.toString()))) {
            // refused by Undertow's parser before any of the node's handlers runs: a space before a header's
            // colon, a NUL in a value, two Content-Lengths
            assertThat(server.raw().send("GET / HTTP/1.1\r\nHost : x\r\n\r\n").status()).isEqualTo(400);
            assertThat(server.raw().send("GET / HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n").status()).isEqualTo(400);
            assertThat(server.raw().send("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")
                    .status()).isEqualTo(400);
            other.request().get("/").then().statusCode(200);
            await().atMost(Duration.ofSeconds(5)).until(() -> lines(log).size() == 3 && lines(otherLog).size() == 1);
            StringBuilder metrics = new StringBuilder();
            server.metrics().appendTo(metrics);
            assertThat(metrics).contains("haflare_http_requests_refused_total 3\n")
                    .contains("haflare_http_requests_total{method=\"GET\",code=\"4xx\"} 0\n");
            StringBuilder otherMetrics = new StringBuilder();
            other.metrics().appendTo(otherMetrics);
            assertThat(otherMetrics).contains("haflare_http_requests_refused_total 0\n");
        }
        assertThat(lines(log)).allSatisfy(line -> assertThat(line)
                .matches("- - - \\[\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}\\] \"-\" 400 0 \"-\" \"-\" \"-\""));
        assertThat(lines(otherLog).get(0)).contains("\"GET / HTTP/1.1\" 200 ");
    }

    @Test
    void aRequestRefusedWith505IsLoggedWithTheVersionItSent() throws Exception {
        String line = lineFor(server ->
                assertThat(server.raw().send("GET /about/ HTTP/0.9\r\nHost: x\r\n\r\n").status()).isEqualTo(505));
        assertThat(line).contains("\"GET /about/ HTTP/0.9\" 505 ");
    }

    @Test
    void anInvalidForwardedAddressIsNotTrusted() throws Exception {
        String line = lineFor(server ->
                server.request().header("CF-Connecting-IP", "evil\" injected").get("/missing").then().statusCode(404));
        assertThat(line).startsWith("127.0.0.1 - - [").contains("\" 404 ");
    }

    @Test
    void aLogFileMovedAwayIsOpenedAgainAtItsPathLosingNoLine() throws Exception {
        HugoLikeSite site = HugoLikeSite.create(dir.resolve("public"));
        Path log = dir.resolve("access.log");
        Path rotated = dir.resolve("access.log.1");
        AtomicInteger sent = new AtomicInteger();
        try (RunningServer server = RunningServer.start(SiteConfig.defaults(site.root()).withAccessLog(log.toString()))) {
            server.request().get("/").then().statusCode(200);
            sent.incrementAndGet();
            await().atMost(Duration.ofSeconds(5)).until(() -> lines(log).size() == 1);
            Files.move(log, rotated); // what logrotate does, then it may create an empty file there, or not
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                server.request().get("/").then().statusCode(200);
                sent.incrementAndGet();
                return lines(log).size() > 0;
            });
        }
        assertThat(lines(rotated).size() + lines(log).size()).as("every line in one file or the other")
                .isEqualTo(sent.get());
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aLogThatCannotBeWrittenIsReportedOnceAndServingGoesOn() throws Exception {
        HugoLikeSite site = HugoLikeSite.create(dir.resolve("public"));
        // /dev/full answers every write with ENOSPC, as a full disk does
        try (RunningServer server = RunningServer.start(SiteConfig.defaults(site.root()).withAccessLog("/dev/full"))) {
            for (int i = 0; i < 3; i++) {
                server.request().get("/").then().statusCode(200);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> server.warnings.stream()
                    .anyMatch(w -> w.startsWith("access log /dev/full cannot be written (No space left on device)")));
            server.request().get("/about/").then().statusCode(200);
            assertThat(server.warnings.stream().filter(w -> w.contains("cannot be written"))).hasSize(1);
        }
    }

    @Test
    void offWritesNothing() throws Exception {
        HugoLikeSite site = HugoLikeSite.create(dir.resolve("public"));
        try (RunningServer server = RunningServer.start(site.root())) {
            server.request().get("/").then().statusCode(200);
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("public");
        }
    }
}
