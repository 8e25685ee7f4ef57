package io.haflare.server.files;

import io.haflare.server.HugoLikeSite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import static org.assertj.core.api.Assertions.assertThat;

class ContentFingerprintTest {
    @TempDir
    Path dir;

    @Test
    void identicalFilesGiveTheSameFingerprintWhateverTheirTimes() throws Exception {
        Path a = HugoLikeSite.create(dir.resolve("a")).root();
        Path b = HugoLikeSite.create(dir.resolve("b")).root();
        Files.setLastModifiedTime(b.resolve("index.html"), FileTime.fromMillis(0));
        assertThat(ContentFingerprint.of(a)).startsWith("sha256:").hasSize(71).isEqualTo(ContentFingerprint.of(b));
    }

    @Test
    void oneChangedByteOrOneMovedFileChangesIt() throws Exception {
        Path a = HugoLikeSite.create(dir.resolve("a")).root();
        String before = ContentFingerprint.of(a);
        Files.writeString(a.resolve("robots.txt"), "User-agent: *\nAllow: /x\n");
        String changed = ContentFingerprint.of(a);
        assertThat(changed).isNotEqualTo(before);
        Files.move(a.resolve("robots.txt"), a.resolve("robots2.txt"));
        assertThat(ContentFingerprint.of(a)).isNotEqualTo(changed);
    }

    @Test
    void filesThatAreNeverServedDoNotCountButWellKnownDoes() throws Exception {
        Path a = HugoLikeSite.create(dir.resolve("a")).root();
        String before = ContentFingerprint.of(a);
        Files.writeString(a.resolve(".env"), "other secret");
        Files.writeString(a.resolve(".git/HEAD"), "ref");
        assertThat(ContentFingerprint.of(a)).isEqualTo(before);
        Files.writeString(a.resolve(".well-known/security.txt"), "Contact: other\n");
        assertThat(ContentFingerprint.of(a)).isNotEqualTo(before);
    }
}
