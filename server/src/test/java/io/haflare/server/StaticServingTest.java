package io.haflare.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

class StaticServingTest {
    @TempDir
    static Path dir;
    static HugoLikeSite site;
    static RunningServer server;

    @BeforeAll
    static void start() {
        site = HugoLikeSite.create(dir.resolve("public"));
        server = RunningServer.start(site.root());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void servesIndexHtmlAsTheWelcomeFile() {
        server.request().get("/").then().statusCode(200).body(containsString("home page"));
    }

    @Test
    void redirectsDirectoryWithoutSlashRelativelyKeepingTheQuery() {
        server.request().get("/about?ref=nav&x=1").then()
                .statusCode(301)
                .header("Location", equalTo("/about/?ref=nav&x=1"));
    }

    @Test
    void redirectLocationIsNeverAnAbsoluteLocalhostUrl() {
        server.request().header("Host", "localhost:8080").get("/posts/first-post").then()
                .statusCode(301)
                .header("Location", equalTo("/posts/first-post/"));
    }

    @Test
    void servesDirectoryIndexUnderTheSlashForm() {
        server.request().get("/about/").then().statusCode(200).body(containsString("about page"));
        server.request().get("/posts/first-post/").then().statusCode(200).body(containsString("first post body"));
    }

    @Test
    void servesHtmlFilesByTheirNameAndWithoutExtension() {
        server.request().get("/contact.html").then().statusCode(200).body(containsString("contact page"));
        server.request().get("/contact").then().statusCode(200).body(containsString("contact page"));
    }

    @Test
    void directoryWithoutIndexIsNotFoundAndNeverListed() {
        server.request().get("/css/").then().statusCode(404).body(not(containsString(site.cssName)));
        server.request().get("/images").then().statusCode(404);
    }

    @Test
    void headAnswersLikeGetWithoutABody() {
        server.request().head("/about/").then()
                .statusCode(200)
                .header("Content-Length", equalTo(String.valueOf(
                        server.request().get("/about/").asByteArray().length)))
                .body(equalTo(""));
    }

    @Test
    void rejectsOtherMethodsWith405AndAllow() {
        for (String method : new String[] {"POST", "PUT", "DELETE", "PATCH", "OPTIONS"}) {
            server.request().request(method, "/").then()
                    .statusCode(405)
                    .header("Allow", equalTo("GET, HEAD"));
        }
        for (String method : new String[] {"get", "Get", "head"}) { // a method is case-sensitive (RFC 9110)
            RawHttp.Response response =
                    server.raw().send(method + " / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(response.status()).as(method).isEqualTo(405);
            assertThat(response.text()).as(method).contains("Allow: GET, HEAD");
        }
    }

    @Test
    void aBodyOfUnknownLengthIs400AndClosesWhileAChunkedOneIsSkipped() {
        String next = "GET /contact.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        RawHttp.Response chunked = server.raw().send("GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n0\r\n\r\n" + next);
        assertThat(chunked.text()).contains("home page").contains("contact page");
        // RFC 9112, 6.3: Transfer-Encoding without chunked last gives no body length: 400, then close
        RawHttp.Response unknown = server.raw().send("GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n\r\n"
                + next);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.text()).contains("Connection: close").contains("Transfer-Encoding must end with chunked")
                .doesNotContain("contact page");
    }

    @Test
    void anHttp10RequestWithTransferEncodingIs400AndCloses() {
        // RFC 9112, 6.1: HTTP/1.0 has no Transfer-Encoding, so its framing is faulty; Undertow would read it
        // as chunked and keep the connection, where a 1.0 proxy before it may have framed it otherwise
        String next = "GET /contact.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        RawHttp.Response response = server.raw().send("GET / HTTP/1.0\r\nHost: x\r\nConnection: keep-alive\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + next);
        assertThat(response.text()).startsWith("HTTP/1.0 400 ").contains("Connection: close")
                .contains("Transfer-Encoding is not HTTP/1.0").doesNotContain("home page").doesNotContain("contact page");
    }

    /** RFC 9112, 9.6: "close" among the options ends the connection after the answer (libwww-perl sends "TE, close"). */
    @Test
    void closeAmongSeveralConnectionOptionsClosesAfterTheAnswer() {
        String next = "GET /contact.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        for (String target : new String[] {"/", "/", "/missing"}) { // the second "/" a cache hit, written directly
            for (String options : new String[] {"Connection: TE, close\r\n", "Connection: keep-alive\r\nConnection: close\r\n"}) {
                RawHttp.Response response = server.raw().send("GET " + target + " HTTP/1.1\r\nHost: x\r\n" + options
                        + "\r\n" + next);
                assertThat(response.text()).as(target + " " + options).contains("Connection: close")
                        .doesNotContain("contact page");
            }
        }
    }

    @Test
    void aVersionOtherThanHttp1Is505AndCloses() {
        // "HTTP/0.9" parses as a version, and Undertow answered it "HTTP/0.9 200 OK" with headers, as 1.x
        RawHttp.Response response = server.raw().send("GET / HTTP/0.9\r\nHost: x\r\nConnection: keep-alive\r\n\r\n"
                + "GET /contact.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(response.status()).isEqualTo(505);
        assertThat(response.text()).contains("Connection: close").contains("505 HTTP Version Not Supported")
                .doesNotContain("home page").doesNotContain("contact page");
    }

    @Test
    void sendsSecurityHeadersByDefault() {
        server.request().get("/").then()
                .header("X-Content-Type-Options", equalTo("nosniff"))
                .header("Referrer-Policy", equalTo("strict-origin-when-cross-origin"))
                .header("Server", nullValue());
    }
}
