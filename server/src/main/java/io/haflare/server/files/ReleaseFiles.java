package io.haflare.server.files;

import io.haflare.server.rules.HeaderRules;
import io.haflare.server.rules.RedirectRules;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** The blocking file-system side of a release: stat, containment check, reading into memory, gzip. */
final class ReleaseFiles {
    private static final String WELL_KNOWN = ".well-known";

    private ReleaseFiles() {
    }

    /** The path of a safe site path inside dir, or null when this file system cannot name it. */
    static Path locate(Path dir, String sitePath) {
        try {
            String relative = sitePath.substring(1);
            return relative.isEmpty() ? dir : dir.resolve(relative);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /** Attributes following symlinks, or null when absent; UnreadableFileException when the node may not look. */
    static BasicFileAttributes stat(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class);
        } catch (AccessDeniedException e) {
            throw new UnreadableFileException(file);
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /** True when the file's real location, after every symlink, is inside the release's real directory. */
    static boolean inside(Path file, Path realDir) {
        return realPathInside(file, realDir) != null;
    }

    /** The file's real location, after every symlink, when it is inside the release's real directory; else null. */
    static Path realPathInside(Path file, Path realDir) {
        try {
            Path real = file.toRealPath();
            return real.startsWith(realDir) ? real : null;
        } catch (AccessDeniedException e) {
            throw new UnreadableFileException(file);
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /**
     * Whether a file, by its real path below the release's root, may be served: no dot-name on the way (a
     * top-level .well-known aside) and not _headers or _redirects. The request's own path was checked for that
     * already; this catches another name for the same file: a symlink, a case-insensitive file system's
     * _REDIRECTS, a Windows short name (GIT~1 for .git), as the real path spells the file as it is.
     */
    static boolean isServable(Path relative) {
        int names = relative.getNameCount();
        for (int i = 0; i < names; i++) {
            String name = relative.getName(i).toString();
            if (name.startsWith(".") && !(i == 0 && names > 1 && name.equals(WELL_KNOWN))) {
                return false;
            }
        }
        String name = relative.getFileName() == null ? "" : relative.getFileName().toString();
        return names != 1 || !name.equalsIgnoreCase(HeaderRules.FILE) && !name.equalsIgnoreCase(RedirectRules.FILE);
    }

    /** Fails with UnreadableFileException when the node may not open the file (checked before it is needed). */
    static void checkReadable(Path file) {
        if (!Files.isReadable(file)) {
            throw new UnreadableFileException(file);
        }
    }

    static Path realPath(Path dir) {
        try {
            return dir.toRealPath();
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /** The other release directories beside dir (not hidden), most recently modified first. */
    static List<Path> siblingsNewestFirst(Path dir) {
        List<Path> siblings = new ArrayList<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(dir.getParent())) {
            for (Path p : all) {
                if (!p.equals(dir) && !p.getFileName().toString().startsWith(".") && Files.isDirectory(p)) {
                    siblings.add(p);
                }
            }
        } catch (IOException | SecurityException e) {
            return List.of();
        }
        siblings.sort(Comparator.comparing(ReleaseFiles::modified).reversed());
        return siblings;
    }

    private static long modified(Path p) {
        BasicFileAttributes attrs = stat(p);
        return attrs == null ? 0 : attrs.lastModifiedTime().toMillis();
    }

    static ByteBuffer read(Path file, long size) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect((int) size);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // read until full or end of file (a file that shrank between stat and read)
            }
        } catch (AccessDeniedException e) {
            throw new UnreadableFileException(file);
        }
        return buffer.flip();
    }

    static ByteBuffer gzip(ByteBuffer content) {
        ByteBuffer plain = content.duplicate();
        byte[] piece = new byte[64 * 1024];
        try {
            return gzip(plain.remaining(), out -> {
                while (plain.hasRemaining()) {
                    int n = Math.min(piece.length, plain.remaining());
                    plain.get(piece, 0, n);
                    out.write(piece, 0, n);
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException("gzip in memory failed", e);
        }
    }

    /** The gzip of a file read in pieces, so that a file of megabytes is never in memory whole. */
    static ByteBuffer gzip(Path file, long size) throws IOException {
        return gzip(size, out -> {
            long read = 0;
            try (InputStream in = Files.newInputStream(file)) {
                byte[] piece = new byte[64 * 1024];
                for (int n; (n = in.read(piece)) > 0; read += n) {
                    out.write(piece, 0, n);
                }
            }
            if (read != size) {
                throw new IOException("file changed while reading: " + file);
            }
        });
    }

    private interface Source {
        void writeTo(GZIPOutputStream out) throws IOException;
    }

    private static ByteBuffer gzip(long size, Source source) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((int) Math.min(size / 3 + 64, 1 << 20));
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 8192)) {
            source.writeTo(gz);
        }
        byte[] compressed = out.toByteArray();
        return ByteBuffer.allocateDirect(compressed.length).put(compressed).flip();
    }
}
