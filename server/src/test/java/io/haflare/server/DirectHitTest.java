package io.haflare.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cache hits written past Undertow's response channel (HitHandler, DirectResponse), on raw sockets: the same
 * headers as the first answer Undertow wrote, HEAD, HTTP/1.0, Connection: close, pipelining, a reader too slow
 * for the socket's buffer, one that goes away, and what the access log and the metrics count.
 */
class DirectHitTest {
    /** Above what one socket buffer holds, below the in-memory limit: hits are written from memory. */
    private static final int LARGE = 120 * 1024;

    @TempDir
    Path dir;

    private HugoLikeSite site() throws IOException {
        HugoLikeSite site = HugoLikeSite.create(dir.resolve("public"));
        Files.write(site.root().resolve("large.txt"), HugoLikeSite.letters(LARGE));
        Files.writeString(site.root().resolve("_headers"), "/about/*\n  X-Frame-Options: DENY\n  Link: </css/x.css>; rel=preload\n");
        return site;
    }

    @Test
    void aHitCarriesTheHeadersAndBodyOfTheFirstAnswerAndEndsWithDateAndConnection() throws Exception {
        HugoLikeSite site = site();
        try (RunningServer server = RunningServer.start(site.root())) {
            for (String[] request : new String[][] {
                    {"/", "gzip"}, {"/", ""}, {"/css/" + site.cssName, "br, gzip"}, {"/js/app.js", "zstd"},
                    {"/images/logo.png", ""}, {"/fr/", ""}, {"/about/", ""}, {"/contact", ""}}) {
                String get = "GET " + request[0] + " HTTP/1.1\r\nHost: a\r\nAccept-Encoding: " + request[1] + "\r\n";
                // the first request misses the cache: a worker resolves it and Undertow writes the answer
                RawHttp.Answer first = server.raw().pipeline(get + "Connection: close\r\n\r\n").get(0);
                RawHttp.Answer hit = server.raw().pipeline(get + "\r\n" + get + "Connection: close\r\n\r\n").get(0);
                assertThat(first.status()).as(request[0]).isEqualTo(200);
                assertThat(withoutDateAndConnection(hit.headers())).as(request[0]).isEqualTo(withoutDateAndConnection(first.headers()));
                assertThat(hit.body()).as(request[0]).isEqualTo(first.body());
                List<String> names = new ArrayList<>(hit.headers().keySet());
                assertThat(names.subList(names.size() - 2, names.size())).as(request[0] + ": written by the hit path")
                        .containsExactly("date", "connection");
            }
            RawHttp.Answer about = server.raw().pipeline("GET /about/ HTTP/1.1\r\nHost: a\r\n\r\n".repeat(2)
                    + "GET /robots.txt HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").get(1);
            assertThat(about.headers()).containsEntry("x-frame-options", "DENY")
                    .containsEntry("link", "</css/x.css>; rel=preload").containsEntry("connection", "keep-alive");
        }
    }

    @Test
    void headGetsTheHeadAloneAndTheConnectionGoesOn() throws Exception {
        HugoLikeSite site = site();
        try (RunningServer server = RunningServer.start(site.root())) {
            String head = "HEAD /about/ HTTP/1.1\r\nHost: a\r\n\r\n";
            List<RawHttp.Answer> answers = server.raw().pipeline(head + head + head
                    + "GET /about/ HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            assertThat(answers).extracting(a -> a.status()).containsExactly(200, 200, 200, 200);
            int length = Integer.parseInt(answers.get(3).headers().get("content-length"));
            assertThat(answers.get(2).headers()).containsEntry("content-length", String.valueOf(length));
            assertThat(answers.get(2).body()).isEmpty();
            assertThat(answers.get(3).body()).hasSize(length);
            assertThat(answers.get(3).headers()).containsEntry("connection", "close");
        }
    }

    @Test
    void http10IsAnsweredAs10AndClosedUnlessItAsksForKeepAlive() throws Exception {
        HugoLikeSite site = site();
        try (RunningServer server = RunningServer.start(site.root())) {
            server.request().get("/robots.txt").then().statusCode(200); // cached: what follows are hits
            List<RawHttp.Answer> kept = server.raw().pipeline("GET /robots.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
                    + "GET /robots.txt HTTP/1.0\r\n\r\n");
            assertThat(kept).hasSize(2);
            assertThat(kept.get(0).statusLine()).isEqualTo("HTTP/1.0 200 OK");
            assertThat(kept.get(0).headers()).containsEntry("connection", "keep-alive");
            assertThat(kept.get(1).headers()).containsEntry("connection", "close");
            assertThat(new String(kept.get(1).body(), StandardCharsets.UTF_8)).isEqualTo("User-agent: *\nAllow: /\n");
            // closed after the answer: a request written after it is never answered
            assertThat(server.raw().pipeline("GET /robots.txt HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
                    + "GET /robots.txt HTTP/1.1\r\nHost: a\r\n\r\n")).hasSize(1);
        }
    }

    @Test
    void pipelinedRequestsOfEveryKindAreAnsweredInOrder() throws Exception {
        HugoLikeSite site = site();
        try (RunningServer server = RunningServer.start(site.root())) {
            String etag = server.request().get("/about/").then().statusCode(200).extract().header("ETag");
            // all in the cache first: a miss is resolved by a worker, and Undertow then serves the requests
            // pipelined behind it from that worker, where nothing is written directly
            for (String path : new String[] {"/", "/robots.txt", "/missing", "/about", "/large.txt"}) {
                server.request().get(path);
            }
            String[] requests = {
                    "GET /about/ HTTP/1.1\r\nHost: a\r\n\r\n",
                    "HEAD / HTTP/1.1\r\nHost: a\r\n\r\n",
                    "GET /about/ HTTP/1.1\r\nHost: a\r\nIf-None-Match: " + etag + "\r\n\r\n",
                    "GET /robots.txt HTTP/1.1\r\nHost: a\r\nRange: bytes=0-3\r\n\r\n",
                    "GET /missing HTTP/1.1\r\nHost: a\r\n\r\n",
                    "GET /about HTTP/1.1\r\nHost: a\r\n\r\n",
                    "GET / HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip\r\n\r\n",
                    "GET /large.txt HTTP/1.1\r\nHost: a\r\n\r\n"};
            int[] statuses = {200, 200, 304, 206, 404, 301, 200, 200};
            StringBuilder all = new StringBuilder();
            List<Integer> expected = new ArrayList<>();
            for (int round = 0; round < 25; round++) {
                for (int i = 0; i < requests.length; i++) {
                    all.append(requests[i]);
                    expected.add(statuses[i]);
                }
            }
            all.append("GET /robots.txt HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            expected.add(200);
            List<RawHttp.Answer> answers = server.raw().pipeline(all.toString());
            assertThat(answers).extracting(a -> a.status()).containsExactlyElementsOf(expected);
            for (int i = 0; i < answers.size() - 1; i++) {
                if (i % requests.length == requests.length - 1) {
                    assertThat(answers.get(i).body()).as("answer %d", i).isEqualTo(Files.readAllBytes(site.root().resolve("large.txt")));
                }
            }
        }
    }

    @Test
    void aReaderSlowerThanTheSocketGetsEveryByteAndTheLogCountsThem() throws Exception {
        HugoLikeSite site = site();
        Path log = dir.resolve("access.log");
        int count = 40;
        try (RunningServer server = RunningServer.start(SiteConfig.defaults(site.root()).withAccessLog(log.toString()))) {
            server.request().get("/large.txt").then().statusCode(200); // cached: what follows are hits
            String get = "GET /large.txt HTTP/1.1\r\nHost: a\r\n\r\n";
            try (Socket socket = server.raw().slowReader(get.repeat(count - 1) + "GET /large.txt HTTP/1.1\r\nHost: a\r\n"
                    + "Connection: close\r\n\r\n")) {
                // until the server has written what the socket takes, and is waiting for the rest
                await().atMost(Duration.ofSeconds(10)).until(() -> lines(log).size() >= 3);
                List<RawHttp.Answer> answers = RawHttp.answers(socket.getInputStream(), get);
                assertThat(answers).hasSize(count);
                byte[] expected = Files.readAllBytes(site.root().resolve("large.txt"));
                for (RawHttp.Answer answer : answers) {
                    assertThat(answer.status()).isEqualTo(200);
                    assertThat(answer.body()).isEqualTo(expected);
                }
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> lines(log).size() == count + 1);
            assertThat(lines(log)).allSatisfy(line -> assertThat(line).contains("\" 200 " + LARGE + " \""));
            StringBuilder metrics = new StringBuilder();
            server.metrics().appendTo(metrics);
            assertThat(metrics.toString()).contains("haflare_http_response_bytes_total " + (count + 1L) * LARGE + "\n");
        }
    }

    @Test
    void aReaderThatGoesAwayMidAnswerIsLoggedWithWhatItGotAndHoldsNothingUp() throws Exception {
        HugoLikeSite site = site();
        Path log = dir.resolve("access.log");
        RunningServer server = RunningServer.start(SiteConfig.defaults(site.root()).withAccessLog(log.toString()));
        try {
            server.request().get("/large.txt").then().statusCode(200); // cached: what follows are hits
            try (Socket socket = server.raw().slowReader("GET /large.txt HTTP/1.1\r\nHost: a\r\n\r\n".repeat(40))) {
                await().atMost(Duration.ofSeconds(10)).until(() -> lines(log).size() >= 3);
                socket.setSoLinger(true, 0); // a reset, with the server's answer half written
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> lines(log).stream()
                    .anyMatch(line -> line.matches(".*\" 200 (\\d+) \".*") && bytes(line) < LARGE));
            server.request().get("/about/").then().statusCode(200);
        } finally {
            long start = System.nanoTime();
            server.close(); // waits up to its 2 s grace for requests in flight: none must be left hanging
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
        }
    }

    private static long bytes(String logLine) {
        String[] parts = logLine.split("\" ")[1].split(" ");
        return Long.parseLong(parts[1]);
    }

    private static List<String> lines(Path log) throws IOException {
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    /** The headers but the two a response writes for itself. */
    private static Map<String, String> withoutDateAndConnection(Map<String, String> headers) {
        return headers.entrySet().stream().filter(e -> !e.getKey().equals("date") && !e.getKey().equals("connection"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
