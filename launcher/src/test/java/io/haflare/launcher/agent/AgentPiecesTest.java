package io.haflare.launcher.agent;

import io.haflare.launcher.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentPiecesTest {
    static final String TOKEN = Base64.getEncoder().encodeToString(("{\"a\":\"0123456789abcdef0123456789abcdef\","
            + "\"t\":\"6ff42ae2-765d-4adf-8112-31c55c1551ef\",\"s\":\"c2VjcmV0\"}").getBytes());

    @TempDir
    Path dir;

    @Test
    void commandLineIsTheContractsWithExtraArgumentsBeforeRun() {
        assertThat(AgentCommand.build("/usr/bin/cloudflared", 41000, Duration.ofSeconds(30), List.of("--protocol", "http2")))
                .containsExactly("/usr/bin/cloudflared", "tunnel", "--no-autoupdate", "--metrics", "127.0.0.1:41000",
                        "--grace-period", "30s", "--protocol", "http2", "run");
    }

    @Test
    void refusesAgentArgumentsThatLeakTheTokenOrFightTheNode() {
        assertThat(AgentCommand.problemWith(List.of("--token", "x"))).contains("process list");
        assertThat(AgentCommand.problemWith(List.of("--token=x"))).contains("process list");
        assertThat(AgentCommand.problemWith(List.of("-token", "x"))).contains("process list");
        assertThat(AgentCommand.problemWith(List.of("--metrics", "0.0.0.0:2000"))).contains("set by haflare-node");
        assertThat(AgentCommand.problemWith(List.of("--grace-period=5s"))).contains("tunnel.gracePeriod");
        assertThat(AgentCommand.problemWith(List.of("run"))).contains("'run'");
        assertThat(AgentCommand.problemWith(List.of("--token-file", "/etc/t"))).isNull();
        assertThat(AgentCommand.problemWith(List.of("--edge", "127.0.0.1:7844", "--loglevel", "debug"))).isNull();
    }

    @Test
    void tokenComesFromTheFileFirstThenTheEnvironmentAndNeverShowsItself() throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, TOKEN + "\n");
        Path envFile = dir.resolve("env-token");
        Files.writeString(envFile, "other");
        TunnelToken fromFile = TunnelToken.find(file, Map.of("TUNNEL_TOKEN", "x", "TUNNEL_TOKEN_FILE", envFile.toString()));
        assertThat(fromFile.reveal()).isEqualTo(TOKEN);
        assertThat(fromFile.toString()).doesNotContain(TOKEN).contains(file.toString());
        assertThat(TunnelToken.find(null, Map.of("TUNNEL_TOKEN_FILE", envFile.toString(), "TUNNEL_TOKEN", "x")).reveal()).isEqualTo("other");
        assertThat(TunnelToken.find(null, Map.of("TUNNEL_TOKEN", TOKEN)).source()).isEqualTo("TUNNEL_TOKEN");
        assertThat(TunnelToken.find(null, Map.of())).isNull();
    }

    @Test
    void aTokenFileOthersCanReadIsFlaggedWithoutShowingTheToken() throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, TOKEN);
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        String warning = TunnelToken.find(file, Map.of()).exposure();
        assertThat(warning).contains("readable by others").contains("chmod 600").doesNotContain(TOKEN);
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertThat(TunnelToken.find(file, Map.of()).exposure()).isNull();
        assertThat(TunnelToken.find(null, Map.of("TUNNEL_TOKEN", TOKEN)).exposure()).isNull();
    }

    @Test
    void tokenShapeIsCheckedWithoutEchoingIt() {
        assertThat(TunnelToken.find(null, Map.of("TUNNEL_TOKEN", TOKEN)).shapeProblem()).isNull();
        String notBase64 = TunnelToken.find(null, Map.of("TUNNEL_TOKEN", "not a token!")).shapeProblem();
        assertThat(notBase64).contains("not base64").doesNotContain("not a token!");
        String wrongJson = Base64.getEncoder().encodeToString("{\"x\":1}".getBytes());
        assertThat(TunnelToken.find(null, Map.of("TUNNEL_TOKEN", wrongJson)).shapeProblem()).contains("not a tunnel token")
                .doesNotContain(wrongJson);
    }

    @Test
    void emptyOrUnreadableTokensAreClearErrors() throws Exception {
        Path empty = dir.resolve("empty");
        Files.writeString(empty, "\n");
        assertThatThrownBy(() -> TunnelToken.find(empty, Map.of())).hasMessageContaining("is empty");
        assertThatThrownBy(() -> TunnelToken.find(dir.resolve("missing"), Map.of())).hasMessageContaining("cannot read");
        assertThatThrownBy(() -> TunnelToken.find(null, Map.of("TUNNEL_TOKEN", " "))).isInstanceOf(TunnelToken.TokenException.class)
                .hasMessage("TUNNEL_TOKEN is set but empty: put the token from the Cloudflare dashboard in it, or unset it"
                        + " to serve in local mode");
        assertThat(TunnelToken.find(null, Map.of())).as("unset: local mode").isNull();
    }

    /** The dashboard shows the token inside a command, and documents quote it: both copied by mistake. */
    @Test
    void aTokenCopiedWithItsCommandOrQuotesSaysSoWithoutEchoingIt() {
        String command = TunnelToken.find(null, Map.of("TUNNEL_TOKEN", "cloudflared tunnel run --token " + TOKEN))
                .shapeProblem();
        assertThat(command).contains("holds more than the token").contains("after --token").doesNotContain(TOKEN);
        String quoted = TunnelToken.find(null, Map.of("TUNNEL_TOKEN", "\"" + TOKEN + "\"")).shapeProblem();
        assertThat(quoted).contains("is in quotes: remove them").doesNotContain(TOKEN);
    }

    /** Windows: Notepad saves a UTF-8 byte order mark, Windows PowerShell 5's "echo $t > f" writes UTF-16. */
    @Test
    void tokenFilesSavedByWindowsToolsReadAsTheToken() throws Exception {
        Path notepad = dir.resolve("notepad.txt");
        Files.write(notepad, ("\uFEFF" + TOKEN + "\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Path powershell = dir.resolve("powershell.txt");
        Files.write(powershell, ("\uFEFF" + TOKEN + "\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_16LE));
        for (Path file : List.of(notepad, powershell)) {
            TunnelToken token = TunnelToken.find(file, Map.of());
            assertThat(token.reveal()).as(file.toString()).isEqualTo(TOKEN);
            assertThat(token.shapeProblem()).isNull();
        }
        assertThatThrownBy(() -> TunnelToken.find(dir, Map.of())).hasMessageContaining("is a directory");
    }

    @Test
    void agentOutputKeepsLevelsLastErrorAndLocationsAndRedactsTheToken() {
        AgentOutput out = new AgentOutput(TOKEN);
        assertThat(out.accept("2026-11-24T15:56:45Z INF Registered tunnel connection connIndex=0 connection=u event=0"
                + " ip=198.41.200.13 location=fra08 protocol=quic")).isEqualTo(new AgentOutput.Line("INF",
                "Registered tunnel connection connIndex=0 connection=u event=0 ip=198.41.200.13 location=fra08 protocol=quic"));
        out.accept("2026-11-24T15:56:46Z INF Registered tunnel connection connIndex=1 connection=v event=0 ip=x location=ams01 protocol=quic");
        assertThat(out.locations()).containsExactly("fra08", "ams01");
        out.accept("2026-11-24T15:56:47Z INF Unregistered tunnel connection connIndex=0 event=0 ip=198.41.200.13");
        assertThat(out.locations()).containsExactly("ams01");
        AgentOutput.Line leaked = out.accept("2026-11-24T15:56:48Z ERR bad token " + TOKEN);
        assertThat(leaked.level()).isEqualTo("ERR");
        assertThat(leaked.message()).isEqualTo("bad token [REDACTED]");
        assertThat(out.lastError()).isEqualTo("bad token [REDACTED]");
        out.accept("2026-11-24T15:56:44Z INF Generated Connector ID: 9f1c2d3e-4a5b-4c6d-8e7f-001122334455");
        assertThat(out.connectorId()).isEqualTo("9f1c2d3e-4a5b-4c6d-8e7f-001122334455");
        out.accept("Provided Tunnel token is not valid.");
        assertThat(out.lastError()).isEqualTo("Provided Tunnel token is not valid.");
    }

    @Test
    void configurationFailuresAreToldFromCrashes() {
        assertThat(AgentFailure.configurationFix(255, "Provided Tunnel token is not valid.")).contains("token was rejected");
        assertThat(AgentFailure.configurationFix(255, "\"cloudflared tunnel run\" requires the ID or name of the tunnel"))
                .contains("no token");
        assertThat(AgentFailure.configurationFix(255, "Incorrect Usage: flag provided but not defined: -x")).contains("agentArgs");
        assertThat(AgentFailure.configurationFix(1, "ERR edge discovery")).isNull();
        assertThat(AgentFailure.configurationFix(137, null)).isNull();
    }

    @Test
    void aBundledAgentIsExtractedOnceAndVerified() throws Exception {
        AgentBinary.Resolved first = AgentBinary.extractBundled("/test-bundle-good/", dir);
        assertThat(first.path()).isRegularFile().isExecutable();
        assertThat(first.source()).contains("verified by SHA-256");
        AgentBinary.Resolved second = AgentBinary.extractBundled("/test-bundle-good/", dir);
        assertThat(second.path()).isEqualTo(first.path());
        assertThat(second.source()).contains("extracted earlier");
    }

    @Test
    void aCorruptedBundledAgentIsRefused() throws Exception {
        assertThatThrownBy(() -> AgentBinary.extractBundled("/test-bundle-corrupt/", dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("failed its SHA-256 check");
        try (var files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile)).as("nothing unverified is left to run").isEmpty();
        }
    }

    @Test
    void noBundleMeansNothingBundled() {
        assertThat(AgentBinary.extractBundled("/no-such-bundle/", dir)).isNull();
    }

    @Test
    void findsTheAgentOnPath() throws Exception {
        Path bin = dir.resolve("bin");
        Files.createDirectories(bin);
        Path agent = Files.writeString(bin.resolve("cloudflared"), "#!/bin/sh\n");
        agent.toFile().setExecutable(true);
        assertThat(AgentBinary.searchPath("/nonexistent:" + bin)).isEqualTo(agent.toAbsolutePath());
        assertThat(AgentBinary.searchPath("/nonexistent")).isNull();
    }

    @Test
    void aConfiguredPathMustExistAndBeExecutable() throws Exception {
        Path plain = Files.writeString(dir.resolve("cloudflared"), "x");
        assertThatThrownBy(() -> AgentBinary.resolve(dir.resolve("nope"), dir, null)).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> AgentBinary.resolve(dir, dir, null)).hasMessageContaining(dir + " is a directory: name"
                + " the binary in it");
        assertThatThrownBy(() -> AgentBinary.resolve(plain, dir, null)).hasMessageContaining("chmod +x");
    }

    @Test
    void thePidFileEndsOnlyTheProcessItRecorded() throws Exception {
        AgentPidFile pidFile = new AgentPidFile(dir);
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            pidFile.write(sleeper.toHandle());
            assertThat(pidFile.readLive()).map(ProcessHandle::pid).contains(sleeper.pid());
            // same pid, other start time: a reused pid is not ours
            Files.writeString(pidFile.path(), sleeper.pid() + " 12345\n");
            assertThat(pidFile.readLive()).isEmpty();
            pidFile.write(sleeper.toHandle());
            pidFile.reapStale(Duration.ofSeconds(5), message -> { });
            assertThat(sleeper.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(pidFile.path()).doesNotExist();
        } finally {
            sleeper.destroyForcibly();
        }
    }
}
