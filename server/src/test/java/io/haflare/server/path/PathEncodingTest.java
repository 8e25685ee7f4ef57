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
}
