package io.haflare.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

class NotFoundPageTest {
    @TempDir
    Path dir;

    @Test
    void servesTheSiteRoot404PageWithStatus404() {
        HugoLikeSite site = HugoLikeSite.create(dir);
        try (RunningServer server = RunningServer.start(site.root())) {
            server.request().get("/no/such/page/").then()
                    .statusCode(404)
                    .header("Content-Type", startsWith("text/html"))
                    .body(containsString("site 404 page"));
        }
    }

    @Test
    void servesTheNearestLanguageTree404Page() {
        HugoLikeSite site = HugoLikeSite.create(dir);
        try (RunningServer server = RunningServer.start(site.root())) {
            server.request().get("/fr/nulle-part/").then().statusCode(404).body(containsString("page 404 en francais"));
            server.request().get("/fr/a/b/c.png").then().statusCode(404).body(containsString("page 404 en francais"));
            server.request().get("/de/nirgendwo").then().statusCode(404).body(containsString("site 404 page"));
        }
    }

    /** Thousands of made-up segments overflowed the stack (a 500) by resolving each level's 404 page in turn. */
    @Test
    void aPathOfThousandsOfSegmentsGetsTheNearest404Page() {
        HugoLikeSite site = HugoLikeSite.create(dir);
        site.write("docs/v1/guide/404.html", "<p>guide 404</p>");
        try (RunningServer server = RunningServer.start(site.root())) {
            String deep = "/x".repeat(3000) + "/";
            server.request().get(deep).then().statusCode(404).body(containsString("site 404 page"));
            server.request().get("/fr" + deep).then().statusCode(404).body(containsString("page 404 en francais"));
            server.request().get("/docs/v1/guide/a/b/c/").then().statusCode(404).body(containsString("guide 404"));
            server.request().get("/docs/v1/other/").then().statusCode(404).body(containsString("site 404 page"));
            server.request().get("/docs/v1/guide/404.html").then().statusCode(200).body(containsString("guide 404"));
        }
    }

    @Test
    void answersAPlainBodyWhenTheSiteHasNo404Page() throws Exception {
        HugoLikeSite site = HugoLikeSite.create(dir);
        Files.delete(site.root().resolve("404.html"));
        try (RunningServer server = RunningServer.start(site.root())) {
            server.request().get("/missing").then()
                    .statusCode(404)
                    .header("Content-Type", equalTo("text/plain; charset=utf-8"))
                    .body(equalTo("404 Not Found\n"));
        }
    }

    @Test
    void headOfAMissingPageIs404WithoutBody() {
        HugoLikeSite site = HugoLikeSite.create(dir);
        try (RunningServer server = RunningServer.start(site.root())) {
            server.request().head("/missing").then().statusCode(404).body(equalTo(""));
        }
    }
}
