package io.haflare.server.path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PathEncodingTest {
    @Test
    void keepsPathCharactersAndEncodesTheRest() {
        assertThat(PathEncoding.encode("/about/")).isEqualTo("/about/");
        assertThat(PathEncoding.encode("/a b/café?#")).isEqualTo("/a%20b/caf%C3%A9%3F%23");
        assertThat(PathEncoding.encode("/x:y@z~-._!$&'()*+,;=")).isEqualTo("/x:y@z~-._!$&'()*+,;=");
    }

    @Test
    void aQueryValueKeepsNeitherItsSeparatorsNorAPercent() {
        assertThat(PathEncoding.encodeQueryValue("a&b=c+d#e f/g?h%")).isEqualTo("a%26b%3Dc%2Bd%23e%20f/g?h%25");
    }

    @Test
    void writtenUrlTextKeepsItsEncodingAndStructure() {
        assertThat(PathEncoding.encodeUrlText("https://x.org/caf%C3%A9?q=1&r=2#top"))
                .isEqualTo("https://x.org/caf%C3%A9?q=1&r=2#top");
        assertThat(PathEncoding.encodeUrlText("/café <b>|{}")).isEqualTo("/caf%C3%A9%20%3Cb%3E%7C%7B%7D");
    }

    @Test
    void aRawQueryIsEncodedByteForByteWhereAUrlCannotHoldItAndKeptElsewhere() {
        assertThat(PathEncoding.encodeRawQuery("utm=1&x=%41")).isEqualTo("utm=1&x=%41");
        assertThat(PathEncoding.encodeRawQuery("t={{a}}&e=*|E|*^`\"<>\\")).isEqualTo(
                "t=%7B%7Ba%7D%7D&e=*%7CE%7C*%5E%60%22%3C%3E%5C");
        // Undertow's one char per byte: the raw UTF-8 of "é" is the chars U+00C3 U+00A9
        assertThat(PathEncoding.encodeRawQuery("q=caf\u00c3\u00a9")).isEqualTo("q=caf%C3%A9");
    }
}
