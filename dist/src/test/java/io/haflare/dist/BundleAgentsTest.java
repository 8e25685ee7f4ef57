package io.haflare.dist;

import io.haflare.launcher.HaflareNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * build/bundle-agents.sh (what -Dcloudflared.dir runs) with stand-ins named as cloudflared's releases are,
 * then the launcher on a classpath holding its output: it finds the agent for this machine, extracts it,
 * verifies its SHA-256, and refuses one that does not match.
 */
class BundleAgentsTest {
    static final Path SCRIPT = Path.of("build", "bundle-agents.sh");
    static final String TOKEN = Base64.getEncoder().encodeToString(("{\"a\":\"0123456789abcdef0123456789abcdef\","
            + "\"t\":\"6ff42ae2-765d-4adf-8112-31c55c1551ef\",\"s\":\"c2VjcmV0\"}").getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path dir;

    private Path releases() throws Exception {
        Path releases = Files.createDirectories(dir.resolve("releases"));
        Path linux = releases.resolve("cloudflared-linux-amd64");
        Files.writeString(linux, "#!/bin/sh\necho 'cloudflared version 2025.5.0 (stand-in)'\n");
        Files.setPosixFilePermissions(linux, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(releases.resolve("cloudflared-windows-amd64.exe"), "MZ stand-in");
        Path darwin = Files.createDirectories(dir.resolve("darwin"));
        Files.writeString(darwin.resolve("cloudflared"), "#!/bin/sh\necho darwin stand-in\n");
        assertThat(Commands.run(dir, Map.of(), List.of("tar", "-czf", releases.resolve("cloudflared-darwin-arm64.tgz").toString(),
                "-C", darwin.toString(), "cloudflared")).exit()).isZero();
        Files.writeString(releases.resolve("cloudflared-linux-amd64.deb"), "not a binary: skipped");
        return releases;
    }

    private List<String> node(Path classes, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classes + java.io.File.pathSeparator + System.getProperty("java.class.path"), HaflareNode.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    @Test
    void bundlesEachReleaseWithItsHashAndTheLauncherVerifiesWhatItExtracts() throws Exception {
        Path classes = dir.resolve("classes");
        Commands.Result bundle = Commands.run(Path.of(""), Map.of(), List.of("bash", SCRIPT.toString(), releases().toString(),
                classes.resolve("cloudflared").toString()));
        assertThat(bundle.exit()).as(bundle.out()).isZero();
        List<String> manifest = Files.readAllLines(classes.resolve("cloudflared/manifest.properties"));
        assertThat(manifest).hasSize(3).anyMatch(l -> l.matches("linux-amd64 = cloudflared-linux-amd64 [0-9a-f]{64}"))
                .anyMatch(l -> l.matches("windows-amd64 = cloudflared-windows-amd64.exe [0-9a-f]{64}"))
                .anyMatch(l -> l.matches("darwin-arm64 = cloudflared-darwin-arm64 [0-9a-f]{64}"));
        assertThat(classes.resolve("cloudflared/cloudflared-darwin-arm64")).hasContent("#!/bin/sh\necho darwin stand-in");

        Commands.Result version = Commands.run(dir, Map.of(), node(classes, "version"));
        assertThat(version.out()).contains("agent: bundled for darwin-arm64, linux-amd64, windows-amd64");
        Path config = Files.writeString(dir.resolve("haflare.yml"), "site:\n  listen: 127.0.0.1:0\nadmin:\n  listen: off\n");
        Commands.Result check = Commands.run(dir, Map.of("TUNNEL_TOKEN", TOKEN, "PATH", "/nonexistent"),
                node(classes, "check", "--config", config.toString(), "--data-dir", dir.resolve("data").toString()));
        Matcher agent = Pattern.compile("ok       agent: (\\S+) \\(bundled cloudflared-linux-amd64, verified by SHA-256\\)")
                .matcher(check.out());
        assertThat(agent.find()).as(check.out()).isTrue();
        assertThat(Commands.run(dir, Map.of(), List.of(agent.group(1))).out()).isEqualTo("cloudflared version 2025.5.0 (stand-in)\n");

        // a bundle whose file no longer matches its manifest is refused, never run
        Files.writeString(classes.resolve("cloudflared/cloudflared-linux-amd64"), "#!/bin/sh\necho tampered\n");
        Commands.Result tampered = Commands.run(dir, Map.of("TUNNEL_TOKEN", TOKEN, "PATH", "/nonexistent"),
                node(classes, "check", "--config", config.toString(), "--data-dir", dir.resolve("data2").toString()));
        assertThat(tampered.exit()).isEqualTo(1);
        assertThat(tampered.out()).contains("PROBLEM  agent:").contains("failed its SHA-256 check").doesNotContain("echo tampered");
    }

    @Test
    void refusesADirectoryWithoutReleasesOrWithAnUnknownPlatform() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Commands.Result none = Commands.run(Path.of(""), Map.of(), List.of("bash", SCRIPT.toString(), empty.toString(), dir.resolve("out").toString()));
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.out()).contains("no cloudflared-* release binaries in " + empty);
        Files.writeString(empty.resolve("cloudflared-plan9-mips"), "?");
        Commands.Result odd = Commands.run(Path.of(""), Map.of(), List.of("bash", SCRIPT.toString(), empty.toString(), dir.resolve("out").toString()));
        assertThat(odd.exit()).isEqualTo(2);
        assertThat(odd.out()).contains("platform 'plan9-mips'");
    }
}
