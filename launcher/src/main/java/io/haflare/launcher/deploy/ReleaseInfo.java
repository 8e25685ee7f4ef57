package io.haflare.launcher.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;

/**
 * What a deploy recorded about one release, kept beside its files as {@code .haflare-release} (a dotfile:
 * never served, never part of the fingerprint).
 */
public record ReleaseInfo(String id, Instant deployedAt, String fingerprint, long bytes, long files, String source) {
    static final String FILE = ".haflare-release";

    void writeTo(Path releaseDir) throws IOException {
        String text = "id=" + id + "\ndeployedAt=" + deployedAt + "\nfingerprint=" + fingerprint + "\nbytes=" + bytes
                + "\nfiles=" + files + "\nsource=" + source.replace("\\", "\\\\").replace("\n", " ") + "\n";
        Files.writeString(releaseDir.resolve(FILE), text, StandardCharsets.UTF_8);
    }

    /** The recorded info, or what the directory itself says when the record is missing or damaged. */
    static ReleaseInfo readFrom(Path releaseDir) {
        String id = releaseDir.getFileName().toString();
        Properties p = new Properties();
        try (Reader in = new StringReader(Files.readString(releaseDir.resolve(FILE), StandardCharsets.UTF_8))) {
            p.load(in);
            return new ReleaseInfo(id, Instant.parse(p.getProperty("deployedAt")), p.getProperty("fingerprint", "?"),
                    Long.parseLong(p.getProperty("bytes", "0")), Long.parseLong(p.getProperty("files", "0")),
                    p.getProperty("source", "?"));
        } catch (IOException | RuntimeException e) {
            Instant modified;
            try {
                modified = Files.getLastModifiedTime(releaseDir).toInstant();
            } catch (IOException notThere) {
                modified = Instant.EPOCH;
            }
            return new ReleaseInfo(id, modified, "?", 0, 0, "?");
        }
    }
}
