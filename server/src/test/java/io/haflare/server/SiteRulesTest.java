package io.haflare.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

class SiteRulesTest {
    @TempDir
    Path dir;

    HugoLikeSite site() {
        HugoLikeSite site = HugoLikeSite.create(dir);
        site.write("_redirects", """
                # comments and blank lines are ignored

                /old-about /about/ 301
                /blog/* /posts/:splat 308
                /news/:year/:slug /posts/:slug/?y=:year 302
                /temp /about/ 307
                /default /about/
                /app/* /about/index.html 200
                /go https://example.org/elsewhere 301
                /forced /about/ 301!
                this line is broken
                """);
        site.write("_headers", """
                /*
                  X-Frame-Options: DENY
                /css/*
                  Access-Control-Allow-Origin: *
                /about/
                  Referrer-Policy: no-referrer
                  Cache-Control: public, max-age=60
                  Link: </css/a.css>; rel=preload
                /about/*
                  Link: </js/app.js>; rel=preload
                /posts/:slug/
                  X-Post: :slug
                /fr/*
                  ! X-Frame-Options
                """);
        return site;
    }

    @Test
    void redirectsWithStatusSplatAndPlaceholders() {
        try (RunningServer server = RunningServer.start(site().root())) {
            server.request().get("/old-about").then().statusCode(301).header("Location", equalTo("/about/"))
                    .header("Cache-Control", equalTo("public, max-age=3600"));
            server.request().get("/blog/2024/hello").then().statusCode(308).header("Location", equalTo("/posts/2024/hello"))
                    .header("Cache-Control", equalTo("public, max-age=3600"));
            server.request().get("/news/2023/launch").then().statusCode(302)
                    .header("Location", equalTo("/posts/launch/?y=2023")).header("Cache-Control", nullValue());
            server.request().get("/temp").then().statusCode(307);
            server.request().get("/default").then().statusCode(302);
            server.request().get("/forced").then().statusCode(301);
            server.request().get("/go").then().statusCode(301).header("Location", equalTo("https://example.org/elsewhere"));
        }
    }

    @Test
    void redirectKeepsTheQueryStringWhenTheTargetHasNone() {
        try (RunningServer server = RunningServer.start(site().root())) {
            server.request().get("/old-about?utm=x").then().statusCode(301).header("Location", equalTo("/about/?utm=x"));
        }
    }

    @Test
    void rewriteWith200ServesTheTargetUnderTheRequestedUrl() {
        try (RunningServer server = RunningServer.start(site().root())) {
            server.request().get("/app/any/deep/route").then().statusCode(200).body(containsString("about page"));
        }
    }

    @Test
    void aRedirectKeepsTheRequestsQueryBeforeTheTargetsFragmentAndEncodesWhatItCaptured() {
        HugoLikeSite s = HugoLikeSite.create(dir);
        s.write("_redirects", """
                /page/ /about/#team 301
                /tag/:name /search?q=:name 302
                /le-cafe /caf%C3%A9/ 200
                """);
        s.write("café/index.html", "<p>le café</p>");
        try (RunningServer server = RunningServer.start(s.root())) {
            server.request().get("/page/?utm=x").then().statusCode(301).header("Location", equalTo("/about/?utm=x#team"));
            server.request().get("/tag/a%26b%20c").then().statusCode(302).header("Location", equalTo("/search?q=a%26b%20c"));
            server.request().get("/le-cafe").then().statusCode(200).body(containsString("le café"));
        }
    }

    /**
     * The single-page app's catch-all: Netlify's shadowing, where the site's own files win over a rewrite not
     * forced with "!"; redirects still apply whatever exists, as on Cloudflare Pages.
     */
    @Test
    void aRewriteYieldsToTheSitesOwnFilesUnlessForced() {
        HugoLikeSite s = HugoLikeSite.create(dir);
        s.write("_redirects", """
                /contact /about/ 200!
                /robots.txt /about/ 301
                /gone/* /missing.html 200
                /* /index.html 200
                """);
        try (RunningServer server = RunningServer.start(s.root())) {
            server.request().get("/css/" + s.cssName).then().statusCode(200)
                    .header("Content-Type", containsString("text/css")).header("Cache-Control", containsString("immutable"));
            server.request().get("/js/app.js").then().statusCode(200).header("Content-Type", containsString("javascript"));
            server.request().get("/about/").then().statusCode(200).body(containsString("about page"));
            server.request().get("/about").then().statusCode(301)
                    .header("Location", equalTo("/about/"));
            server.request().get("/deep/client/route").then().statusCode(200).body(containsString("home page"));
            server.request().get("/contact").then().statusCode(200).body(containsString("about page"));
            server.request().get("/robots.txt").then().statusCode(301);
            server.request().get("/gone/page").then().statusCode(404).body(containsString("site 404 page"));
            server.request().get("/_redirects").then().statusCode(200).body(containsString("home page"));
            server.request().get("/.env").then().statusCode(404);
        }
    }

    @Test
    void badLinesAreReportedWithFileAndLineAndIgnored() {
        try (RunningServer server = RunningServer.start(site().root())) {
            server.request().get("/").then().statusCode(200);
            assertThat(server.warnings).anyMatch(w -> w.contains("_redirects:11") && w.contains("ignored"));
        }
    }

    @Test
    void headersApplyByPatternJoinAndOverrideDefaults() {
        try (RunningServer server = RunningServer.start(site().root())) {
            server.request().get("/").then().header("X-Frame-Options", equalTo("DENY"));
            server.request().get("/css/" + "x.css").then().statusCode(404);
            server.request().get("/js/app.js").then().header("Access-Control-Allow-Origin", nullValue());
            server.request().get("/about/").then()
                    .header("Referrer-Policy", equalTo("no-referrer"))
                    .header("Cache-Control", equalTo("public, max-age=60"))
                    .header("Link", equalTo("</css/a.css>; rel=preload, </js/app.js>; rel=preload"))
                    .header("X-Content-Type-Options", equalTo("nosniff"));
            server.request().get("/posts/first-post/").then().header("X-Post", equalTo("first-post"));
            server.request().get("/fr/").then().header("X-Frame-Options", nullValue());
        }
    }

    @Test
    void aRuleCannotSetTheConnectionsOrFramingHeadersAndItsTextGoesOutAsUtf8() {
        HugoLikeSite s = site();
        s.write("_headers", """
                /*
                  Transfer-Encoding: chunked
                  Connection: close
                  Content-Length: 5
                  X-Motto: café → ok
                  X-Ok: fine
                """);
        try (RunningServer server = RunningServer.start(s.root())) {
            List<RawHttp.Answer> answers = new RawHttp(server.port()).pipeline("GET / HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /about/ HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            assertThat(answers).hasSize(2).allSatisfy(a -> {
                assertThat(a.headers()).doesNotContainKey("transfer-encoding").containsEntry("x-ok", "fine")
                        .containsEntry("x-motto", new String("café → ok".getBytes(StandardCharsets.UTF_8),
                                StandardCharsets.ISO_8859_1));
                assertThat(a.body()).hasSize(Integer.parseInt(a.headers().get("content-length")));
            });
            assertThat(answers.get(0).headers()).doesNotContainEntry("connection", "close");
            assertThat(server.warnings).anyMatch(w -> w.contains("_headers:2: 'Transfer-Encoding' describes the"
                    + " connection, not the file: the server sets it (line ignored)"))
                    .anyMatch(w -> w.contains("_headers:3: 'Connection'")).anyMatch(w -> w.contains("_headers:4:"));
        }
    }

    /** Notepad's byte order mark, PowerShell 5's UTF-16 (`"/old /about/ 301" > _redirects`), a Latin-1 comment. */
    @Test
    void ruleFilesSavedByWindowsToolsKeepTheirFirstRule() {
        HugoLikeSite s = site();
        byte[] mark = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] rules = "/old /about/ 301\r\n# caf\u00e9\r\n/temp /about/ 307\r\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] redirects = new byte[mark.length + rules.length];
        System.arraycopy(mark, 0, redirects, 0, mark.length);
        System.arraycopy(rules, 0, redirects, mark.length, rules.length);
        HugoLikeSite.write(s.root(), "_redirects", redirects);
        byte[] headers = "\uFEFF/*\r\n  X-Test: yes\r\n".getBytes(StandardCharsets.UTF_16LE);
        HugoLikeSite.write(s.root(), "_headers", headers);
        try (RunningServer server = RunningServer.start(s.root())) {
            server.request().redirects().follow(false).get("/old").then().statusCode(301)
                    .header("Location", equalTo("/about/"));
            server.request().redirects().follow(false).get("/temp").then().statusCode(307);
            server.request().get("/").then().header("X-Test", equalTo("yes"));
            assertThat(server.warnings).noneMatch(w -> w.contains("_redirects") || w.contains("_headers"));
        }
    }

    @Test
    void pathsShareHeaderSetsButNeverAPlaceholderValue() {
        HugoLikeSite s = site();
        int posts = 300; // more distinct sets than a release keeps shared: the rest are made per path
        for (int i = 0; i < posts; i++) {
            s.write("posts/p" + i + "/index.html", "<!doctype html><title>p" + i + "</title>");
        }
        try (RunningServer server = RunningServer.start(s.root())) {
            for (int round = 0; round < 2; round++) { // every post once, then some again from the cache
                for (int i = 0; i < posts; i += round == 0 ? 1 : 7) {
                    server.request().get("/posts/p" + i + "/").then().statusCode(200)
                            .header("X-Post", equalTo("p" + i)).header("X-Frame-Options", equalTo("DENY"));
                }
                server.request().get("/").then().header("X-Post", nullValue());
            }
        }
    }

    @Test
    void headersApplyToAssetsUnderAPattern() {
        HugoLikeSite s = site();
        try (RunningServer server = RunningServer.start(s.root())) {
            server.request().get("/css/" + s.cssName).then().header("Access-Control-Allow-Origin", equalTo("*"));
        }
    }

    @Test
    void ruleFilesAreNeverServed() {
        try (RunningServer server = RunningServer.start(site().root())) {
            server.request().get("/_redirects").then().statusCode(404);
            server.request().get("/_headers").then().statusCode(404);
        }
    }

    @Test
    void editedRulesApplyWithoutRestart() {
        HugoLikeSite s = site();
        try (RunningServer server = RunningServer.start(s.root())) {
            server.request().get("/brand-new").then().statusCode(404);
            s.write("_redirects", "/brand-new /about/ 301\n");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> server.request().get("/brand-new").statusCode() == 301);
        }
    }
}
