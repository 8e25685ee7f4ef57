package io.haflare.server.files;

import io.haflare.server.HugoLikeSite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /** Replicas on different versions compare fingerprints during an upgrade: the definition must not drift. */
    @Test
    void isTheDigestOfEveryFilesLineInNameOrder() throws Exception {
        Map<String, String> files = new LinkedHashMap<>(); // in String order, which is not the order of creation
        files.put("B.txt", "upper");
        files.put("a-c.txt", "dash");
        files.put("a.txt", "dot");
        files.put("a/b.txt", "slash");
        List<String> created = new ArrayList<>(files.keySet());
        Collections.reverse(created);
        for (String name : created) {
            Files.createDirectories(dir.resolve(name).getParent());
            Files.writeString(dir.resolve(name), files.get(name));
        }
        MessageDigest tree = MessageDigest.getInstance("SHA-256");
        for (Map.Entry<String, String> file : files.entrySet()) {
            byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
            String fileHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
            tree.update((file.getKey() + "\0" + content.length + "\0" + fileHash + "\n").getBytes(StandardCharsets.UTF_8));
        }
        assertThat(ContentFingerprint.of(dir)).isEqualTo("sha256:" + HexFormat.of().formatHex(tree.digest()));
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

    @Test
    void aSymlinkCountsAsWhatItLeadsToAndAHiddenDirectoryNotAtAll() throws Exception {
        Path plain = Files.createDirectory(dir.resolve("plain"));
        Files.writeString(plain.resolve("a.txt"), "same");
        Files.writeString(plain.resolve("b.txt"), "same");
        Path other = Files.createDirectory(dir.resolve("other"));
        Files.writeString(other.resolve("a.txt"), "same");
        Files.createSymbolicLink(other.resolve("b.txt"), other.resolve("a.txt"));
        Files.createDirectories(other.resolve(".cache/deep"));
        Files.writeString(other.resolve(".cache/deep/c.txt"), "never served");
        assertThat(ContentFingerprint.of(other)).isEqualTo(ContentFingerprint.of(plain));
    }
}
