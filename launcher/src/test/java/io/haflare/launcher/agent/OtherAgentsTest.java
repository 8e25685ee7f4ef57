package io.haflare.launcher.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OtherAgentsTest {
    private static final String TUNNEL = "6ff42ae2-765d-4adf-8112-31c55c1551ef";

    @TempDir
    Path dir;

    @Test
    void tellsAnAgentFromANodeAndFromEverythingElse() {
        // as `cloudflared service install` writes its unit, and as a script run by an interpreter
        assertThat(OtherAgents.isAgent(List.of("/usr/bin/cloudflared", "--no-autoupdate", "tunnel", "run", "--token", "x")))
                .isTrue();
        assertThat(OtherAgents.isAgent(List.of("/bin/sh", "/opt/cloudflared-linux-amd64", "tunnel", "run"))).isTrue();
        assertThat(OtherAgents.isAgent(List.of("/usr/bin/cloudflared", "access", "tcp"))).as("not a tunnel").isFalse();
        assertThat(OtherAgents.isAgent(List.of("/usr/bin/vim", "cloudflared", "tunnel"))).isFalse();
        assertThat(OtherAgents.isNode(List.of("/opt/haflare-node/runtime/bin/java", "-jar",
                "/opt/haflare-node/lib/haflare-node.jar", "run"))).isTrue();
        assertThat(OtherAgents.isNode(List.of("/usr/bin/haflare-node", "run"))).isTrue();
        assertThat(OtherAgents.isNode(List.of("java", "-cp", "x.jar", "io.haflare.launcher.HaflareNode"))).isTrue();
        assertThat(OtherAgents.isNode(List.of("/usr/lib/systemd/systemd", "--system"))).isFalse();
    }

    @Test
    void findsTheTunnelOfTheTokenWhereverTheAgentWasGivenIt() throws Exception {
        String token = AgentPiecesTest.TOKEN;
        assertThat(OtherAgents.tunnelOf(List.of("cloudflared", "tunnel", "run", "--token", token), Map.of())).isEqualTo(TUNNEL);
        assertThat(OtherAgents.tunnelOf(List.of("cloudflared", "tunnel", "run", "--token=" + token), Map.of())).isEqualTo(TUNNEL);
        Path file = Files.writeString(dir.resolve("token"), token + "\n");
        assertThat(OtherAgents.tunnelOf(List.of("cloudflared", "tunnel", "run", "--token-file", file.toString()), Map.of()))
                .isEqualTo(TUNNEL);
        assertThat(OtherAgents.tunnelOf(List.of("cloudflared", "tunnel", "run"), Map.of("TUNNEL_TOKEN", token)))
                .isEqualTo(TUNNEL);
        assertThat(OtherAgents.tunnelOf(List.of("cloudflared", "tunnel", "run"), Map.of("TUNNEL_TOKEN_FILE",
                file.toString()))).isEqualTo(TUNNEL);
        assertThat(OtherAgents.tunnelOf(List.of("cloudflared", "tunnel", "run", "named"), Map.of())).as("unknown").isNull();
        assertThat(OtherAgents.tunnelOf(List.of("cloudflared", "tunnel", "--config", "/etc/cloudflared/a.yml", "run",
                "6FF42AE2-765D-4ADF-8112-31C55C1551EF"), Map.of())).as("run by its id").isEqualTo(TUNNEL);
        assertThat(OtherAgents.tunnelOf(List.of("cloudflared", "tunnel", "run", "00000000-765d-4adf-8112-31c55c1551ef"),
                Map.of())).isNotEqualTo(TUNNEL);
        assertThat(OtherAgents.tunnelOf(List.of("cloudflared", "tunnel", "run", "--token", "garbage"), Map.of())).isNull();
    }

    @Test
    void namesTheSystemdUnitAndNeverTheToken() {
        assertThat(OtherAgents.unitOf("0::/system.slice/cloudflared.service\n")).isEqualTo("cloudflared.service");
        assertThat(OtherAgents.unitOf("0::/user.slice/user-1000.slice/session-3.scope\n")).isNull();
        String docker = "0::/system.slice/docker-4f1c2a3b5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7081.scope\n";
        assertThat(OtherAgents.unitOf(docker)).isNull();
        assertThat(OtherAgents.containerOf(docker)).isEqualTo("a Docker container 4f1c2a3b5d6e");
        assertThat(new OtherAgents.Found(7, TUNNEL, null, OtherAgents.containerOf(docker)).describe(TUNNEL))
                .startsWith("another cloudflared (pid 7, a Docker container 4f1c2a3b5d6e) runs this node's tunnel")
                .endsWith("; stop it and keep it from starting again (docker stop, and a restart policy of no)");
        String podman = "0::/machine.slice/libpod-4f1c2a3b5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7081.scope\n";
        assertThat(new OtherAgents.Found(7, null, null, OtherAgents.containerOf(podman)).describe(TUNNEL))
                .startsWith("another cloudflared (pid 7, a Podman container 4f1c2a3b5d6e) runs on this machine")
                .endsWith("(podman stop, and a restart policy of no)");
        OtherAgents.Found found = new OtherAgents.Found(4242, TUNNEL, "cloudflared.service", null);
        assertThat(found.describe(TUNNEL)).isEqualTo("another cloudflared (pid 4242, cloudflared.service) runs this"
                + " node's tunnel outside the node: it keeps this replica in rotation while the node has stopped its"
                + " own agent for an unhealthy site, and visitors sent to it get 502s; stop and disable it: systemctl"
                + " disable --now cloudflared.service");
    }
}
