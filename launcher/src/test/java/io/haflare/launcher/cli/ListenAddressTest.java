package io.haflare.launcher.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ListenAddressTest {
    @Test
    void parsesHostAndPortIncludingBracketedIpv6() {
        assertThat(ListenAddress.parse("127.0.0.1:8080", "--listen")).isEqualTo(new ListenAddress("127.0.0.1", 8080));
        assertThat(ListenAddress.parse("[::1]:9000", "--listen")).isEqualTo(new ListenAddress("::1", 9000));
        assertThat(new ListenAddress("::1", 9000)).hasToString("[::1]:9000");
    }

    @Test
    void refusesWhatIsNotHostPort() {
        assertThatThrownBy(() -> ListenAddress.parse("8080", "--listen")).hasMessageContaining("is not HOST:PORT");
        assertThatThrownBy(() -> ListenAddress.parse("http://localhost:8080/", "--listen")).hasMessage(
                "--listen 'http://localhost:8080/' is a URL: give the address alone, HOST:PORT (localhost:8080)");
        assertThatThrownBy(() -> ListenAddress.parse(":8080", "site.listen")).hasMessage("site.listen ':8080' has no"
                + " host: 127.0.0.1:8080 for this machine only (cloudflared runs on it), or 0.0.0.0:8080 for every interface");
        assertThatThrownBy(() -> ListenAddress.parse("host:http", "--listen")).hasMessageContaining("is not a number");
        assertThatThrownBy(() -> ListenAddress.parse("host:70000", "--listen")).hasMessageContaining("outside 0-65535");
    }
}
