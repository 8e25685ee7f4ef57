package io.haflare.launcher;

import io.haflare.server.files.ContentFingerprint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FingerprintCommandsTest {
    static final Duration EXIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void fingerprintPrintsWhatNodesReportOnItsLastLine() throws Exception {
        Files.createDirectories(dir.resolve("public/about"));
        Files.writeString(dir.resolve("public/index.html"), "<h1>home</h1>");
        Files.writeString(dir.resolve("public/about/index.html"), "<h1>about</h1>");
        try (NodeProcess fp = NodeProcess.start(dir, "fingerprint", "public")) {
            assertThat(fp.awaitExit(EXIT)).isZero();
            List<String> out = fp.stdout();
            assertThat(out.get(out.size() - 1)).isEqualTo(ContentFingerprint.of(dir.resolve("public")));
        }
        try (NodeProcess missing = NodeProcess.start(dir, "fingerprint", "nope")) {
            assertThat(missing.awaitExit(EXIT)).isEqualTo(2);
            assertThat(missing.errText()).contains("is not a directory");
        }
    }

    @Test
    void verifyExits0WhenTheNodeServesTheExpectedFilesAnd1Otherwise() throws Exception {
        Files.createDirectories(dir.resolve("public"));
        Files.writeString(dir.resolve("public/index.html"), "<h1>release 1</h1>");
        String expected = ContentFingerprint.of(dir.resolve("public"));
        try (NodeProcess node = NodeProcess.start(dir, "serve", "--listen", "127.0.0.1:0")) {
            int admin = node.awaitAdmin();
            try (NodeProcess ok = NodeProcess.start(dir, "verify", "--expect", expected, "--admin", "127.0.0.1:" + admin)) {
                assertThat(ok.awaitExit(EXIT)).isZero();
                assertThat(String.join("\n", ok.stdout())).contains("ok: the node serves " + expected);
            }
            try (NodeProcess bad = NodeProcess.start(dir, "verify", "--expect", "sha256:0000", "--admin", "127.0.0.1:" + admin)) {
                assertThat(bad.awaitExit(EXIT)).isEqualTo(1);
                assertThat(String.join("\n", bad.stdout())).contains("MISMATCH: the node serves " + expected)
                        .contains("expected sha256:0000");
            }
        }
        try (NodeProcess badWait = NodeProcess.start(dir, "verify", "--expect", expected, "--wait", "soon")) {
            assertThat(badWait.awaitExit(EXIT)).as("a malformed flag is a usage error").isEqualTo(2);
            assertThat(badWait.errText()).contains("--wait: 'soon' is not a duration");
        }
    }
}
