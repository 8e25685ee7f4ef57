package io.haflare.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class LimitsTest {
    @TempDir
    Path dir;

    @Test
    void overlongUrlIs414() {
        HugoLikeSite site = HugoLikeSite.create(dir);
        try (RunningServer server = RunningServer.start(site.root())) {
            RawHttp.Response r = server.raw().get("/" + "a".repeat(9000));
            assertThat(r.status()).isEqualTo(414);
            // many parameters within the length limit: served, as nginx serves them (Undertow refused a 1,001st)
            String many = java.util.stream.IntStream.range(0, 1500).mapToObj(i -> "a=" + (i % 10))
                    .collect(java.util.stream.Collectors.joining("&"));
            assertThat(many.length()).isLessThan(8192);
            assertThat(server.raw().get("/?" + many).status()).isEqualTo(200);
            String tooMany = "a&".repeat(4500);
            assertThat(server.raw().get("/?" + tooMany).status()).as("past the length limit").isEqualTo(414);
        }
    }

    @Test
    void oversizedHeadersAreRefusedWithoutServing() {
        HugoLikeSite site = HugoLikeSite.create(dir);
        try (RunningServer server = RunningServer.start(site.root())) {
            String request = "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(40_000) + "\r\nConnection: close\r\n\r\n";
            RawHttp.Response r = server.raw().send(request);
            assertThat(r.status()).isIn(400, 431);
            // 20 KB of cookies (a domain's analytics, A/B tests, its main app's session), as nginx serves them
            StringBuilder cookies = new StringBuilder();
            for (int i = 0; i < 10; i++) {
                cookies.append("Cookie: c").append(i).append('=').append("v".repeat(2000)).append("\r\n");
            }
            assertThat(server.raw().send("GET / HTTP/1.1\r\nHost: x\r\n" + cookies + "Connection: close\r\n\r\n")
                    .status()).isEqualTo(200);
            // the server is still fine for everybody else
            server.request().get("/").then().statusCode(200);
        }
    }

    @Test
    void aClientThatNeverFinishesItsRequestIsCutOffAndDoesNotBlockOthers() throws Exception {
        HugoLikeSite site = HugoLikeSite.create(dir);
        SiteConfig.Limits limits = new SiteConfig.Limits(8192, 16 * 1024, 100, Duration.ofSeconds(30),
                Duration.ofMillis(500), 1000);
        try (RunningServer server = RunningServer.start(SiteConfig.defaults(site.root()).withAccessLog("off")
                .withLimits(limits));
             Socket slow = new Socket("127.0.0.1", server.port())) {
            OutputStream out = slow.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            server.request().get("/").then().statusCode(200);
            InputStream in = slow.getInputStream();
            slow.setSoTimeout(5000); // a read past this throws: the server did not cut the client off
            long start = System.nanoTime();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).doesNotContain("200 OK");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        }
    }

    @Test
    void idleKeepAliveConnectionsAreClosed() throws Exception {
        HugoLikeSite site = HugoLikeSite.create(dir);
        SiteConfig.Limits limits = new SiteConfig.Limits(8192, 16 * 1024, 100, Duration.ofMillis(500),
                Duration.ofSeconds(5), 1000);
        try (RunningServer server = RunningServer.start(SiteConfig.defaults(site.root()).withAccessLog("off")
                .withLimits(limits));
             Socket idle = new Socket("127.0.0.1", server.port())) {
            idle.setSoTimeout(5000);
            long start = System.nanoTime();
            assertThat(idle.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        }
    }
}
