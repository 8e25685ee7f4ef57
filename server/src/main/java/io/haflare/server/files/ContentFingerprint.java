package io.haflare.server.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

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
        TreeMap<String, ServedFile> files = served(dir);
        MessageDigest tree = sha256();
        MessageDigest content = sha256(); // one for all files, reset by each digest(): start-up garbage is resident memory
        byte[] buffer = new byte[64 * 1024];
        HexFormat hex = HexFormat.of();
        for (Map.Entry<String, ServedFile> file : files.entrySet()) {
            String hash = hex.formatHex(fileHash(file.getValue().path(), content, buffer));
            tree.update((file.getKey() + "\0" + file.getValue().size() + "\0" + hash + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        return "sha256:" + hex.formatHex(tree.digest());
    }

    private record ServedFile(Path path, long size) {}

    /**
     * Every served regular file (a symlink counts as what it leads to) by its name relative to dir, with '/'
     * between names. Hidden directories are skipped whole rather than walked.
     */
    private static TreeMap<String, ServedFile> served(Path dir) {
        TreeMap<String, ServedFile> files = new TreeMap<>();
        String prefix = dir.toString();
        int nameStart = prefix.endsWith(dir.getFileSystem().getSeparator()) ? prefix.length() : prefix.length() + 1;
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    return d.equals(dir) || isServed(d, dir) ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (attrs.isSymbolicLink() && Files.isRegularFile(file)) {
                        attrs = Files.readAttributes(file, BasicFileAttributes.class);
                    }
                    if (attrs.isRegularFile() && isServed(file, dir)) {
                        files.put(file.toString().substring(nameStart).replace('\\', '/'),
                                new ServedFile(file, attrs.size()));
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
        return files;
    }

    /** Whether a name in the walk is served: not hidden, unless it is the top-level .well-known. */
    private static boolean isServed(Path path, Path dir) {
        String name = path.getFileName().toString();
        return !name.startsWith(".") || (name.equals(".well-known") && dir.equals(path.getParent()));
    }

    private static Path realDir(Path root) {
        try {
            return root.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + root, e);
        }
    }

    private static byte[] fileHash(Path file, MessageDigest digest, byte[] buffer) {
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return digest.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
