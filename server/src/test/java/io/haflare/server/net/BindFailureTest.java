package io.haflare.server.net;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BindFailureTest {
    private static final String REMEDY = "pass --listen HOST:PORT to use another address";

    @Test
    void eachRefusalSaysWhatToDo() {
        assertThat(BindFailure.describe("127.0.0.1:8080", 8080, "Address already in use", REMEDY))
                .isEqualTo("127.0.0.1:8080 is already in use (stop what listens there, or " + REMEDY + ")");
        assertThat(BindFailure.describe("127.0.0.1:80", 80, "Permission denied", REMEDY))
                .isEqualTo("127.0.0.1:80 cannot be bound: ports below 1024 need root or the CAP_NET_BIND_SERVICE"
                        + " capability, and cloudflared reaches the node on any port (" + REMEDY + ", for example 8080)");
        assertThat(BindFailure.describe("10.9.9.9:8080", 8080, "Cannot assign requested address", REMEDY))
                .isEqualTo("10.9.9.9:8080 cannot be bound: that host is not an address of this machine (" + REMEDY
                        + ", for example 127.0.0.1)");
        assertThat(BindFailure.describe("127.0.0.1:8080", 8080, "Permission denied", REMEDY))
                .as("above 1024 it is something else: a security module, say").isEqualTo("127.0.0.1:8080 cannot be"
                        + " bound (Permission denied): " + REMEDY);
    }
}
