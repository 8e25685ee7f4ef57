package io.haflare.server.admin;

import io.haflare.server.HugoLikeSite;
import io.haflare.server.RawHttp;
import io.haflare.server.ServerStartException;
import io.haflare.server.SiteConfig;
import io.haflare.server.SiteServer;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

class AdminHandlerTest {
    @TempDir
    Path dir;
    SiteServer server;
    final AtomicInteger drains = new AtomicInteger();
    final AtomicInteger resumes = new AtomicInteger();
    volatile boolean healthy = true;

    final NodeView node = new NodeView() {
        @Override
        public Health health() {
            return new Health(healthy, List.of(healthy ? "site healthy: GET / -> 200" : "site unhealthy: GET / -> 404"));
        }

        @Override
        public String statusJson() {
            return Json.write(java.util.Map.of("node", "web-1", "quote", "a\"b\n"));
        }

        @Override
        public String statusText() {
            return "node   web-1\n";
        }

        @Override
        public String metricsText() {
            return "# TYPE up gauge\nup 1\n";
        }

        @Override
        public void drain() {
            drains.incrementAndGet();
        }

        @Override
        public void resume() {
            resumes.incrementAndGet();
        }
    };

    void start(String token) throws ServerStartException {
        start(token, "127.0.0.1");
    }

    /** listenName: the host admin.listen named, which resolved to 127.0.0.1 here. */
    void start(String token, String listenName) throws ServerStartException {
        HugoLikeSite site = HugoLikeSite.create(dir.resolve("public"));
        server = SiteServer.start(SiteConfig.defaults(site.root()).withAccessLog("off").withListen("127.0.0.1", 0),
                message -> { }, new SiteServer.AdminListener("127.0.0.1", 0, new AdminHandler(node, token, listenName)));
    }

    RequestSpecification admin() {
        return RestAssured.given().baseUri("http://127.0.0.1").port(server.adminAddress().getPort());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(Duration.ofSeconds(1));
        }
    }

    @Test
    void healthIs200Or503WithTheReasonsInWords() throws Exception {
        start(null);
        admin().get("/health").then().statusCode(200).contentType("application/json; charset=utf-8")
                .body("healthy", equalTo(true)).body("reasons[0]", equalTo("site healthy: GET / -> 200"));
        healthy = false;
        admin().get("/health").then().statusCode(503).body("healthy", equalTo(false))
                .body("reasons[0]", containsString("unhealthy"));
    }

    @Test
    void statusIsJsonAndTextOnRequest() throws Exception {
        start(null);
        admin().get("/status").then().statusCode(200).body("node", equalTo("web-1")).body("quote", equalTo("a\"b\n"))
                .header("Cache-Control", equalTo("no-store"));
        admin().get("/status?format=text").then().statusCode(200).contentType(containsString("text/plain"))
                .body(equalTo("node   web-1\n"));
    }

    @Test
    void metricsArePrometheusText() throws Exception {
        start(null);
        admin().get("/metrics").then().statusCode(200)
                .header("Content-Type", equalTo("text/plain; version=0.0.4; charset=utf-8")).body(equalTo("# TYPE up gauge\nup 1\n"));
    }

    @Test
    void drainAndResumeArePostOnly() throws Exception {
        start(null);
        admin().get("/drain").then().statusCode(405).header("Allow", equalTo("POST"));
        admin().post("/drain").then().statusCode(200);
        admin().post("/resume").then().statusCode(200);
        org.assertj.core.api.Assertions.assertThat(drains.get()).isEqualTo(1);
        org.assertj.core.api.Assertions.assertThat(resumes.get()).isEqualTo(1);
        admin().post("/health").then().statusCode(405);
        RawHttp raw = new RawHttp(server.adminAddress().getPort());
        assertThat(raw.send("post /drain HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").status())
                .as("a method is case-sensitive").isEqualTo(405);
        assertThat(raw.send("POST /drain;x HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").status())
                .as("\";x\" is part of the path").isEqualTo(404);
        admin().get("/nope").then().statusCode(404).body("endpoints[1]", equalTo("GET /health"));
    }

    /** A page elsewhere can make the browser on the node's machine POST a form to 127.0.0.1: refused. */
    @Test
    void aWebPageOfAnotherSiteCannotDrainOrResume() throws Exception {
        start(null);
        int port = server.adminAddress().getPort();
        admin().header("Origin", "https://evil.example").post("/drain").then().statusCode(403)
                .body("error", containsString("haflare-node drain"));
        admin().header("Origin", "null").post("/resume").then().statusCode(403);
        admin().header("Sec-Fetch-Site", "cross-site").header("Origin", "http://127.0.0.1:" + port).post("/drain")
                .then().statusCode(403);
        assertThat(drains.get() + resumes.get()).isZero();
        admin().header("Origin", "http://127.0.0.1:" + port).post("/drain").then().statusCode(200);
        admin().header("Sec-Fetch-Site", "same-origin").post("/resume").then().statusCode(200);
        admin().header("Origin", "https://evil.example").get("/status").then().statusCode(200);
        assertThat(drains.get()).isEqualTo(1);
        assertThat(resumes.get()).isEqualTo(1);
    }

    /** DNS rebinding: a page's own name pointed at 127.0.0.1 reaches the listener with that name as Host. */
    @Test
    void withoutATokenOnlyLoopbackNamesAreAnswered() throws Exception {
        start(null);
        RawHttp raw = new RawHttp(server.adminAddress().getPort());
        for (String host : new String[] {"evil.example", "evil.example:9090", "127.0.0.1.evil.example", "10.0.0.5"}) {
            RawHttp.Response r = raw.send("GET /status HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
            assertThat(r.status()).as(host).isEqualTo(403);
            assertThat(r.body()).contains("answers only to 127.0.0.1, [::1] or localhost, not to Host '" + host + "'")
                    .contains("admin.tokenFile");
        }
        for (String host : new String[] {"127.0.0.1", "127.0.0.1:9090", "localhost:9090", "LOCALHOST", "[::1]:9090"}) {
            assertThat(raw.send("GET /status HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").status())
                    .as(host).isEqualTo(200);
        }
        assertThat(raw.send("GET /status HTTP/1.0\r\n\r\n").text()).as("no Host: not a browser").startsWith("HTTP/1.0 200");
    }

    /** Debian maps the machine's own name to 127.0.1.1: admin.listen may name it, and its clients use it. */
    @Test
    void theNameTheListenerWasGivenIsAnswered() throws Exception {
        start(null, "web-1");
        RawHttp raw = new RawHttp(server.adminAddress().getPort());
        assertThat(raw.send("GET /status HTTP/1.1\r\nHost: web-1:9090\r\nConnection: close\r\n\r\n").status())
                .isEqualTo(200);
        assertThat(raw.send("GET /status HTTP/1.1\r\nHost: web-2:9090\r\nConnection: close\r\n\r\n").body())
                .contains("answers only to 127.0.0.1, [::1], localhost or web-1, not to Host 'web-2:9090'");
    }

    @Test
    void withATokenAnyHostIsAnswered() throws Exception {
        start("0123456789abcdef0123456789abcdef");
        RawHttp raw = new RawHttp(server.adminAddress().getPort());
        assertThat(raw.send("GET /status HTTP/1.1\r\nHost: node-1.lan:9090\r\nAuthorization: Bearer"
                + " 0123456789abcdef0123456789abcdef\r\nConnection: close\r\n\r\n").status()).isEqualTo(200);
    }

    @Test
    void aTokenIsRequiredWhenConfigured() throws Exception {
        start("0123456789abcdef0123456789abcdef");
        admin().get("/status").then().statusCode(401).header("WWW-Authenticate", equalTo("Bearer"));
        admin().header("Authorization", "Bearer wrong").post("/drain").then().statusCode(401);
        org.assertj.core.api.Assertions.assertThat(drains.get()).isZero();
        admin().header("Authorization", "Bearer 0123456789abcdef0123456789abcdef").get("/status").then().statusCode(200);
        // the scheme is case-insensitive (RFC 9110 11.1)
        admin().header("Authorization", "bearer 0123456789abcdef0123456789abcdef").get("/status").then().statusCode(200);
        admin().header("Authorization", "Basic 0123456789abcdef0123456789abcdef").get("/status").then().statusCode(401);
    }

    @Test
    void theAdminApiIsNotReachableThroughTheSitePort() throws Exception {
        start(null);
        RestAssured.given().baseUri("http://127.0.0.1").port(server.address().getPort()).get("/health").then().statusCode(404);
        RestAssured.given().baseUri("http://127.0.0.1").port(server.address().getPort()).post("/drain").then().statusCode(405);
        org.assertj.core.api.Assertions.assertThat(drains.get()).isZero();
    }

    @Test
    void anAdminAddressInUseIsNamedWithItsFlagAndTheSiteAddressIsFreedAgain() throws Exception {
        HugoLikeSite site = HugoLikeSite.create(dir.resolve("public"));
        int sitePort = freePort();
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            String adminAddress = "127.0.0.1:" + taken.getLocalPort();
            assertThatThrownBy(() -> SiteServer.start(
                    SiteConfig.defaults(site.root()).withAccessLog("off").withListen("127.0.0.1", sitePort),
                    message -> { },
                    new SiteServer.AdminListener("127.0.0.1", taken.getLocalPort(), new AdminHandler(node, null, "127.0.0.1"))))
                    .isInstanceOf(ServerStartException.class)
                    .hasMessage(adminAddress + " is already in use (stop what listens there, or pass --admin HOST:PORT"
                            + " to use another address, or --admin off to run without the admin API)");
        }
        // the site listener it had bound before the admin one failed was closed with it
        try (ServerSocket again = new ServerSocket(sitePort, 50, InetAddress.getByName("127.0.0.1"))) {
            assertThat(again.getLocalPort()).isEqualTo(sitePort);
        }
    }

    @Test
    void aSiteAddressInUseIsNamedWithItsFlagWhenThereIsAnAdminListenerToo() throws Exception {
        HugoLikeSite site = HugoLikeSite.create(dir.resolve("public"));
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> SiteServer.start(
                    SiteConfig.defaults(site.root()).withAccessLog("off").withListen("127.0.0.1", taken.getLocalPort()),
                    message -> { }, new SiteServer.AdminListener("127.0.0.1", 0, new AdminHandler(node, null, "127.0.0.1"))))
                    .isInstanceOf(ServerStartException.class)
                    .hasMessageStartingWith("127.0.0.1:" + taken.getLocalPort() + " is already in use")
                    .hasMessageContaining("--listen HOST:PORT");
        }
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
