package io.haflare.server.path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class RequestPathTest {
    @ParameterizedTest
    @CsvSource({
        "/, /",
        "/about, /about",
        "/about/, /about/",
        "//about//team/, /about/team/",
        "/caf%C3%A9/, /café/",
        "/a%20b.html, /a b.html",
        "/%252e%252e/x, /%2e%2e/x",
        "/.well-known/security.txt, /.well-known/security.txt",
        "/a+b, /a+b",
        "/a;b.txt, /a;b.txt",
    })
    void decodesOnceAndNormalizes(String raw, String expected) {
        assertThat(RequestPath.parse(raw)).isEqualTo(new RequestPath.Safe(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "relative", "/..", "/../x", "/a/../b", "/./x", "/%2e%2e/x", "/%2E./x", "/a%2fb", "/a%2Fb", "/a\\b",
        "/%5c", "/%00", "/a%0d%0aSet-Cookie:x", "/%c0%ae%c0%ae/", "/%c0%af", "/%e0%80%ae", "/%ff", "/%", "/%4",
        "/%g0", "/caf\u00e9", "/a\u0001b",
    })
    void rejectsHostileOrMalformedPaths(String raw) {
        assertThat(RequestPath.parse(raw)).isInstanceOf(RequestPath.Rejected.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/.env", "/.git/config", "/a/.DS_Store", "/%2egit/HEAD", "/docs/.well-known/x"})
    void hidesDotfilesExceptTopLevelWellKnown(String raw) {
        assertThat(RequestPath.parse(raw)).isInstanceOf(RequestPath.Hidden.class);
    }

    @Test
    void rejectionSaysWhy() {
        assertThat(((RequestPath.Rejected) RequestPath.parse("/a%2fb")).reason()).isEqualTo("encoded slash in path");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/a          | /a                          | false | /a",
        "/a          | /a;b.txt                    | false | /a;b.txt",
        "/index.html | /index.html;jsessionid=1/x  | false | /index.html;jsessionid=1/x",
        "/a          | http://example.com/a;b.txt  | true  | /a;b.txt",
        "/a          | http://example.com/a        | true  | /a",
    })
    void keepsThePathAsSentSemicolonAndAll(String path, String uri, boolean hostIncluded, String expected) {
        assertThat(RequestPath.asSent(path, uri, hostIncluded)).isEqualTo(expected);
    }
}
