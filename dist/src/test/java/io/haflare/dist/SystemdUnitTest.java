package io.haflare.dist;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** dist/systemd/haflare-node.service: valid, hardened to an exposure of at most 2.0, and in step with the launcher. */
class SystemdUnitTest {
    static final Path UNIT = Path.of("systemd", "haflare-node.service");
    static final Path ANALYZE = Path.of("/usr/bin/systemd-analyze");

    @Test
    void systemdAcceptsTheUnitAndRatesItAtMostTwo() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(ANALYZE) || System.getenv("CI") != null,
                "systemd-analyze (Debian package systemd) is installed by .ci/run");
        // verify wants ExecStart's binary to exist: the same unit, with the launcher where this checkout has it
        Path copy = Files.createTempDirectory("unit").resolve("haflare-node.service");
        Files.writeString(copy, Files.readString(UNIT).replace("ExecStart=/usr/bin/haflare-node ",
                "ExecStart=" + Path.of("bin", "haflare-node").toAbsolutePath() + " "));
        Commands.run(ANALYZE.toString(), "verify", copy.toString()).ok();
        String security = Commands.run(ANALYZE.toString(), "security", "--offline=true", UNIT.toString()).ok();
        Matcher score = Pattern.compile("Overall exposure level for haflare-node.service: ([0-9.]+)").matcher(security);
        assertThat(score.find()).as(security).isTrue();
        assertThat(Double.parseDouble(score.group(1))).isLessThanOrEqualTo(2.0);
    }

    @Test
    void stopsTheNodeFirstWithTimeForTheAgentToDrainAndTakesTheTokenAsACredential() throws Exception {
        List<String> lines = Files.readAllLines(UNIT);
        assertThat(lines).contains("KillMode=mixed", "KillSignal=SIGTERM", "Restart=on-failure", "User=haflare",
                "LoadCredential=tunnel-token:/etc/haflare-node/tunnel-token", "StateDirectory=haflare-node",
                "LogsDirectory=haflare-node", "RestartPreventExitStatus=2",
                "NoNewPrivileges=yes", "ProtectSystem=strict", "CapabilityBoundingSet=");
        long stop = Long.parseLong(lines.stream().filter(l -> l.startsWith("TimeoutStopSec=")).findFirst().orElseThrow()
                .replaceAll("\\D", ""));
        assertThat(stop).as("agent grace 30 s + 5 s kill margin + 10 s for in-flight requests").isGreaterThan(45);
        String exec = String.join(" ", lines).replace("\\ ", " ");
        assertThat(exec).contains("ExecStart=/usr/bin/haflare-node run ").contains("--config /etc/haflare-node/haflare.yml").contains("--token-file %d/tunnel-token")
                .doesNotContain("--token ").doesNotContain("TUNNEL_TOKEN=");
    }
}
