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
}
