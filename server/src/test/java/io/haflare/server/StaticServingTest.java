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
    void sendsSecurityHeadersByDefault() {
        server.request().get("/").then()
                .header("X-Content-Type-Options", equalTo("nosniff"))
                .header("Referrer-Policy", equalTo("strict-origin-when-cross-origin"))
                .header("Server", nullValue());
    }
}
