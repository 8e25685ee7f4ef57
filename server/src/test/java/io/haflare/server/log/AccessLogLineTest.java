package io.haflare.server.log;

import org.junit.jupiter.api.Test;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;

class AccessLogLineTest {
    static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 50000);
    static final InetSocketAddress REMOTE = new InetSocketAddress("198.51.100.9", 50000);

    @Test
    void trustsCfConnectingIpOnlyFromLoopback() {
        assertThat(AccessLogLine.visitor(LOOPBACK, "203.0.113.1")).isEqualTo("203.0.113.1");
        assertThat(AccessLogLine.visitor(LOOPBACK, "2001:db8::1")).isEqualTo("2001:db8::1");
        assertThat(AccessLogLine.visitor(REMOTE, "203.0.113.1")).isEqualTo("198.51.100.9");
        assertThat(AccessLogLine.visitor(LOOPBACK, null)).isEqualTo("127.0.0.1");
        assertThat(AccessLogLine.visitor(LOOPBACK, "1.2.3.4 evil")).isEqualTo("127.0.0.1");
    }

    @Test
    void eachPeerIsNamedAsItselfWhateverCameBefore() throws Exception {
        InetSocketAddress sameAsRemote = new InetSocketAddress("198.51.100.9", 50001);
        assertThat(AccessLogLine.visitor(REMOTE, null)).isEqualTo("198.51.100.9");
        assertThat(AccessLogLine.visitor(sameAsRemote, null)).isEqualTo("198.51.100.9");
        assertThat(AccessLogLine.visitor(LOOPBACK, null)).isEqualTo("127.0.0.1");
        assertThat(AccessLogLine.visitor(REMOTE, null)).isEqualTo("198.51.100.9");

        byte[] linkLocal = InetAddress.getByName("fe80::1").getAddress();
        InetSocketAddress scope1 = new InetSocketAddress(Inet6Address.getByAddress(null, linkLocal, 1), 50000);
        InetSocketAddress scope2 = new InetSocketAddress(Inet6Address.getByAddress(null, linkLocal, 2), 50000);
        assertThat(AccessLogLine.visitor(scope1, null)).isEqualTo("fe80:0:0:0:0:0:0:1%1");
        assertThat(AccessLogLine.visitor(scope2, null)).isEqualTo("fe80:0:0:0:0:0:0:1%2");
    }

    @Test
    void escapesQuotesAndNewlinesSoOneRequestIsOneLine() {
        String line = AccessLogLine.format(LOOPBACK, null, "24/Nov/2026:15:56:45 +0000", "GET", "/a\"b\nc", "HTTP/1.1",
                200, 5, null, "ua\\x", null);
        assertThat(line).isEqualTo("127.0.0.1 - - [24/Nov/2026:15:56:45 +0000] \"GET /a\\x22b\\x0ac HTTP/1.1\" 200 5 \"-\" \"ua\\x5cx\" \"-\"");
    }
}
