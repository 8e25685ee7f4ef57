package io.haflare.server.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A fingerprint of what a site directory serves: SHA-256 over every served file's relative path, size and
 * content hash, in path order. Modification times are left out, so replicas with identical files agree
 * whatever their copy times; hidden files (never served) are left out too, except under /.well-known/.
 */
public final class ContentFingerprint {
    private ContentFingerprint() {
    }

    public static String of(Path root) {
        Path dir = realDir(root); // a `current` symlink fingerprints what it points to
        MessageDigest tree = sha256();
        // each file's relative name is made once: a comparator making it would make n log n of them
        TreeMap<String, Path> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).filter(p -> served(dir.relativize(p)))
                    .forEach(p -> files.put(relative(dir, p), p));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
        byte[] buffer = new byte[64 * 1024]; // one for all files: a site of thousands would churn the heap
        for (Map.Entry<String, Path> file : files.entrySet()) {
            tree.update((file.getKey() + "\0" + size(file.getValue()) + "\0" + fileHash(file.getValue(), buffer)
                    + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return "sha256:" + HexFormat.of().formatHex(tree.digest());
    }

    private static Path realDir(Path root) {
        try {
            return root.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + root, e);
        }
    }

    private static boolean served(Path relative) {
        for (int i = 0; i < relative.getNameCount(); i++) {
            String name = relative.getName(i).toString();
            if (name.startsWith(".") && !(i == 0 && name.equals(".well-known"))) {
                return false;
            }
        }
        return true;
    }

    private static String relative(Path dir, Path file) {
        return dir.relativize(file).toString().replace('\\', '/');
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String fileHash(Path file, byte[] buffer) {
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
