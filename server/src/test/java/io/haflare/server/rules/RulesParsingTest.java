package io.haflare.server.rules;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RulesParsingTest {
    @Test
    void splatMatchesAcrossSegmentsAndPlaceholderOnlyOne() {
        UrlPattern splat = UrlPattern.compile("/blog/*");
        assertThat(splat.match("/blog/a/b/c").substitute("/posts/:splat")).isEqualTo("/posts/a/b/c");
        assertThat(splat.match("/blog/")).isNotNull();
        assertThat(splat.match("/blogx")).isNull();
        UrlPattern placeholder = UrlPattern.compile("/u/:name/profile");
        assertThat(placeholder.match("/u/ann/profile").substitute("/people/:name")).isEqualTo("/people/ann");
        assertThat(placeholder.match("/u/a/b/profile")).isNull();
    }

    @Test
    void literalCharactersAreNotRegex() {
        assertThat(UrlPattern.compile("/a.html").match("/aXhtml")).isNull();
        assertThat(UrlPattern.compile("/a(b)+").match("/a(b)+")).isNotNull();
    }

    @Test
    void twoSplatsAreRefused() {
        assertThatThrownBy(() -> UrlPattern.compile("/*/x/*")).hasMessageContaining("only one *");
    }

    @Test
    void redirectsParseStatusesAndReportBadLines() {
        RedirectRules rules = RedirectRules.parse("""
                /a /b
                /c /d 301
                /e /f 418
                /g
                relative /x 301
                /h https://example.org 200
                /i /j 308!
                /k /l 200
                /m /n 200!
                /old?x=1 /n 301
                /store id=:id /n/:id 301
                /b /n 301 Country=us
                """);
        assertThat(rules.match("/a")).isEqualTo(new RedirectRules.Outcome(302, "/b", false));
        assertThat(rules.match("/c")).isEqualTo(new RedirectRules.Outcome(301, "/d", false));
        assertThat(rules.match("/i")).isEqualTo(new RedirectRules.Outcome(308, "/j", true));
        assertThat(rules.match("/k")).isEqualTo(new RedirectRules.Outcome(200, "/l", false));
        assertThat(rules.match("/m")).isEqualTo(new RedirectRules.Outcome(200, "/n", true));
        assertThat(rules.match("/e")).isNull();
        assertThat(rules.problems()).extracting(RuleProblem::line).containsExactly(3, 4, 5, 6, 10, 11, 12);
        assertThat(rules.problems()).extracting(RuleProblem::message).contains(
                "status 418 is not one of 200, 301, 302, 303, 307 or 308 (line ignored)",
                "pattern /old?x=1 holds a query ('?'): rules match the path alone, so it would never match (line ignored)",
                "expected '/from /to [status]', found 4 fields (Netlify's query and condition fields, such as 'id=:id'"
                        + " or 'Country=us', are not supported, as on Cloudflare Pages) (line ignored)");
        assertThat(rules.problems().get(6).message()).contains("Netlify's query and condition fields");
    }

    /** Captured values are decoded text: encoded for where they land, never read as the target's own "?" or "#". */
    @Test
    void targetsEncodeCapturedValuesByPlaceAndKeepTheirOwnText() {
        RedirectRules rules = RedirectRules.parse("""
                /news/:year/:slug /blog/:year-:slug 302
                /s/* /search?q=:splat 301
                /page/ /page2/#fragment 301
                /cafe /caf%C3%A9/ 301
                /cafe2 /café/ 301
                /ext/* https://blog.example.org/:splat 301
                /r /caf%C3%A9/?from=r 200
                """);
        assertThat(rules.match("/news/2024/a?b#c").target()).isEqualTo("/blog/2024-a%3Fb%23c");
        assertThat(rules.match("/s/a&b=c d/e").target()).isEqualTo("/search?q=a%26b%3Dc%20d/e");
        assertThat(rules.match("/page/").location("x=1")).isEqualTo("/page2/?x=1#fragment");
        assertThat(rules.match("/s/x").location("x=1")).as("the target's own query wins").isEqualTo("/search?q=x");
        assertThat(rules.match("/cafe").target()).isEqualTo("/caf%C3%A9/");
        assertThat(rules.match("/cafe2").target()).isEqualTo("/caf%C3%A9/");
        assertThat(rules.match("/ext/a b/100%").target()).isEqualTo("https://blog.example.org/a%20b/100%25");
        assertThat(rules.match("/r").path()).isEqualTo("/caf%C3%A9/");
    }

    @Test
    void firstMatchingRedirectWins() {
        RedirectRules rules = RedirectRules.parse("/x/* /first 301\n/x/y /second 301\n");
        assertThat(rules.match("/x/y").target()).isEqualTo("/first");
    }

    /** Literal rules are looked up by path and patterns tried in turn: the file's order still decides. */
    @Test
    void fileOrderDecidesBetweenLiteralRulesAndPatterns() {
        RedirectRules rules = RedirectRules.parse("""
                /a/:slug /pattern-first/:slug 301
                /a/b /literal-second 301
                /c /literal-first 301
                /c /literal-again 301
                /* /catch-all/:splat 302
                /d /literal-after-catch-all 301
                /c/:x /never 301
                """);
        assertThat(rules.match("/a/b").target()).isEqualTo("/pattern-first/b");
        assertThat(rules.match("/c").target()).isEqualTo("/literal-first");
        assertThat(rules.match("/d").target()).isEqualTo("/catch-all/d");
        assertThat(rules.match("/c/y").target()).isEqualTo("/catch-all/c/y");
        assertThat(RedirectRules.parse("/x /y 301\n/z/* /w 301\n").match("/q")).isNull();
    }

    @Test
    void headersReplaceDefaultsJoinAcrossRulesAndDetach() {
        HeaderRules rules = HeaderRules.parse("""
                /*
                  X-A: one
                  Referrer-Policy: no-referrer
                /docs/*
                  x-a: two
                  ! X-Content-Type-Options
                """);
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("Referrer-Policy", "strict-origin-when-cross-origin");
        defaults.put("X-Content-Type-Options", "nosniff");
        assertThat(rules.apply("/docs/page", defaults))
                .containsEntry("Referrer-Policy", "no-referrer")
                .containsEntry("X-A", "one, two")
                .doesNotContainKey("X-Content-Type-Options");
        assertThat(rules.apply("/other", defaults)).containsEntry("X-Content-Type-Options", "nosniff");
    }

    /**
     * Cloudflare's own advice for Pages, a host rule that keeps the pages.dev preview out of search engines, after
     * a path rule: the host rule is ignored here, and its noindex must go with it, not onto the rule above.
     */
    @Test
    void theHeadersOfAnIgnoredRuleAreIgnoredWithIt() {
        HeaderRules rules = HeaderRules.parse("""
                /blog/*
                  X-Blog: 1
                https://:project.pages.dev/*
                  X-Robots-Tag: noindex
                no-slash/*
                  X-Bad: 1
                /*
                  X-All: 1
                """);
        assertThat(rules.apply("/blog/post/", Map.of())).containsOnlyKeys("X-Blog", "X-All");
        assertThat(rules.problems()).extracting(RuleProblem::line).containsExactly(3, 5);
        assertThat(rules.problems().get(0).message()).isEqualTo("host-specific rules are not supported here:"
                + " https://:project.pages.dev/* (rule ignored, with the header lines under it)");
    }

    @Test
    void headerLinesWithoutPatternOrColonAreReported() {
        HeaderRules rules = HeaderRules.parse("  X-Orphan: 1\n/a\n  no colon here\n  Bad Name: x\n  X(y): 1\n"
                + "  TE: trailers\n  X-Bell: a\u0007b\n  X-Fine_1.2~: ok\n");
        assertThat(rules.problems()).extracting(RuleProblem::line).containsExactly(1, 3, 4, 5, 6, 7);
    }
}
