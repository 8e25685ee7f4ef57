package io.haflare.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ReleaseSwitchTest {
    @TempDir
    Path sites;

    Path release(String id) {
        Path dir = sites.resolve("releases").resolve(id);
        HugoLikeSite.write(dir, "index.html", HugoLikeSite.page("release " + id, "served from " + id) + id.repeat(300));
        HugoLikeSite.write(dir, "app.css", ("/* " + id + " */\n").repeat(500));
        HugoLikeSite.write(dir, "big.bin", id.repeat(400_000));
        return dir;
    }

    /** Switches the symlink the way a deploy does: a new link renamed over the old one, never a gap. */
    void pointCurrentAt(Path release) throws Exception {
        Path tmp = sites.resolve("current.tmp");
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, sites.relativize(release));
        Files.move(tmp, sites.resolve("current"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void aNoCacheRequestSeesAFileRemovedAMomentAgo() throws Exception {
        Path r1 = release("r1");
        pointCurrentAt(r1);
        try (RunningServer server = RunningServer.start(sites.resolve("current"))) {
            server.request().get("/app.css").then().statusCode(200); // now in memory, trusted for half a second
            Files.delete(r1.resolve("app.css"));
            server.request().header("Cache-Control", "no-cache").get("/app.css").then().statusCode(404);
            server.request().header("Cache-Control", "no-cache").get("/").then().statusCode(200);
        }
    }

    @Test
    void aRootSwitchedToAMissingReleaseAnswers404SaysSoAndRecovers() throws Exception {
        Path r1 = release("r1");
        pointCurrentAt(r1);
        try (RunningServer server = RunningServer.start(sites.resolve("current"))) {
            server.request().get("/").then().statusCode(200);
            pointCurrentAt(sites.resolve("releases/r9"));
            server.request().get("/").then().statusCode(404);
            assertThat(server.warnings).anyMatch(w -> w.equals("site directory " + sites.resolve("releases/r9")
                    + " does not exist: every request answers 404 until it does"));
            pointCurrentAt(r1);
            server.request().get("/").then().statusCode(200);
        }
    }

    @Test
    void aFingerprintedAssetOnlyAnOlderReleaseHasIsStillServed() throws Exception {
        Path r1 = release("r1");
        HugoLikeSite.write(r1, "css/main.0123abcd.css", "/* r1 */");
        HugoLikeSite.write(r1, "plain.css", "/* r1 */");
        HugoLikeSite.write(r1, "old.html", "<p>r1</p>");
        Path r2 = release("r2");
        pointCurrentAt(r2);
        try (RunningServer server = RunningServer.start(sites.resolve("current"))) {
            server.request().get("/css/main.0123abcd.css").then().statusCode(200).body(org.hamcrest.Matchers.equalTo("/* r1 */"))
                    .header("Cache-Control", "public, max-age=31536000, immutable");
            server.request().get("/plain.css").then().statusCode(404); // its content may differ: not fingerprinted
            server.request().get("/old.html").then().statusCode(404);
            server.request().get("/css/main.99999999.css").then().statusCode(404);
        }
        Files.move(r2, sites.resolve("r2")); // outside releases/: nothing stands behind it
        try (RunningServer server = RunningServer.start(sites.resolve("r2"))) {
            server.request().get("/css/main.0123abcd.css").then().statusCode(404);
        }
    }

    @Test
    void theNextRequestAfterASwitchServesTheNewRelease() throws Exception {
        Path r1 = release("r1");
        Path r2 = release("r2");
        pointCurrentAt(r1);
        try (RunningServer server = RunningServer.start(sites.resolve("current"))) {
            assertThat(server.request().get("/").asString()).contains("served from r1");
            assertThat(server.request().get("/app.css").asString()).contains("r1");
            pointCurrentAt(r2);
            assertThat(server.request().get("/").asString()).contains("served from r2");
            assertThat(server.request().get("/app.css").asString()).contains("r2").doesNotContain("r1");
            pointCurrentAt(r1);
            assertThat(server.request().get("/").asString()).contains("served from r1");
        }
    }

    @Test
    void underLoadEveryResponseComesWhollyFromOneReleaseWithNoErrors() throws Exception {
        Map<String, Map<String, String>> expected = new ConcurrentHashMap<>();
        Path[] releases = {release("aa"), release("bb"), release("cc")};
        for (Path r : releases) {
            expected.put(r.getFileName().toString(), Map.of(
                    "/", Files.readString(r.resolve("index.html")),
                    "/app.css", Files.readString(r.resolve("app.css")),
                    "/big.bin", Files.readString(r.resolve("big.bin"))));
        }
        pointCurrentAt(releases[0]);
        try (RunningServer server = RunningServer.start(sites.resolve("current"))) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger served = new AtomicInteger();
            Set<String> seen = ConcurrentHashMap.newKeySet();
            ExecutorService pool = Executors.newFixedThreadPool(6);
            Future<?>[] clients = new Future<?>[6];
            for (int c = 0; c < clients.length; c++) {
                String path = new String[] {"/", "/app.css", "/big.bin"}[c % 3];
                clients[c] = pool.submit(() -> {
                    while (running.get()) {
                        HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        assertThat(r.statusCode()).isEqualTo(200);
                        String release = expected.entrySet().stream()
                                .filter(e -> e.getValue().get(path).equals(r.body()))
                                .map(Map.Entry::getKey).findFirst().orElse(null);
                        assertThat(release).as("a response for " + path + " that matches no single release").isNotNull();
                        seen.add(release);
                        served.incrementAndGet();
                    }
                    return null;
                });
            }
            for (int i = 0; i < 30; i++) {
                pointCurrentAt(releases[i % 3]);
                int before = served.get();
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> served.get() >= before + 10);
            }
            running.set(false);
            for (Future<?> f : clients) {
                f.get();
            }
            pool.shutdown();
            assertThat(seen).containsExactlyInAnyOrder("aa", "bb", "cc");
        }
    }

    @Test
    void aSwitchStartsAFreshCacheEvenWhenFilesLookAlike() throws Exception {
        Path r1 = sites.resolve("releases/one");
        Path r2 = sites.resolve("releases/two");
        HugoLikeSite.write(r1, "index.html", "AAAA");
        HugoLikeSite.write(r2, "index.html", "BBBB");
        Files.setLastModifiedTime(r2.resolve("index.html"), Files.getLastModifiedTime(r1.resolve("index.html")));
        pointCurrentAt(r1);
        try (RunningServer server = RunningServer.start(sites.resolve("current"))) {
            assertThat(server.request().get("/").asString()).isEqualTo("AAAA");
            pointCurrentAt(r2);
            assertThat(server.request().get("/").asString()).isEqualTo("BBBB");
        }
    }

    @Test
    void editsInAPlainDirectoryAreServedWithoutRestart() throws Exception {
        Path root = sites.resolve("plain");
        HugoLikeSite.write(root, "index.html", "before");
        try (RunningServer server = RunningServer.start(root)) {
            assertThat(server.request().get("/").asString()).isEqualTo("before");
            HugoLikeSite.write(root, "index.html", "after, longer");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> server.request().get("/").asString().equals("after, longer"));
            Files.delete(root.resolve("index.html"));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> server.request().get("/").statusCode() == 404);
        }
    }
}
