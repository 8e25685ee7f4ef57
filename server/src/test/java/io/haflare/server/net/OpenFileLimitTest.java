package io.haflare.server.net;

import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

class OpenFileLimitTest {
    static final String LIMITS = """
            Limit                     Soft Limit           Hard Limit           Units
            Max cpu time              unlimited            unlimited            seconds
            Max open files            1024                 524288               files
            Max locked memory         8388608              8388608              bytes
            """;

    @Test
    void readsTheSoftLimitOnOpenFiles() {
        assertThat(OpenFileLimit.parse(LIMITS)).hasValue(1024);
        assertThat(OpenFileLimit.parse(LIMITS.replace("1024   ", "unlimited"))).isEmpty();
        assertThat(OpenFileLimit.parse("Limit Soft Hard\n")).isEmpty();
    }

    @Test
    void leavesTwoDescriptorsPerConnectionAndAReserve() {
        assertThat(OpenFileLimit.connectionsAllowed(10_000, OptionalLong.of(1024))).isEqualTo(448);
        assertThat(OpenFileLimit.connectionsAllowed(10_000, OptionalLong.of(524_288))).isEqualTo(10_000);
        assertThat(OpenFileLimit.connectionsAllowed(10_000, OptionalLong.of(100))).isEqualTo(16);
        assertThat(OpenFileLimit.connectionsAllowed(10_000, OptionalLong.empty())).isEqualTo(10_000);
        assertThat(OpenFileLimit.connectionsAllowed(10_000, OptionalLong.of(OpenFileLimit.neededFor(10_000))))
                .isEqualTo(10_000);
    }

    @Test
    void thisProcessHasALimitOnLinux() {
        if (System.getProperty("os.name").startsWith("Linux")) {
            assertThat(OpenFileLimit.current()).isPresent();
        }
    }
}
