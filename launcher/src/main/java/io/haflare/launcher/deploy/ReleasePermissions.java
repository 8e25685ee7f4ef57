package io.haflare.launcher.deploy;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * Opens a staged release to every reader: files gain read, directories read and search, for all. A static
 * site is public, and the node runs as its own user: a build output with 0600 files or a 0700 directory (a
 * umask of 077, a tarball made elsewhere) would otherwise deploy a site that answers 403. Nothing gains write
 * or execute on files. Symlinks are left as they are.
 */
final class ReleasePermissions {
    private static final Set<PosixFilePermission> FILE = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);
    private static final Set<PosixFilePermission> DIRECTORY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE);

    private ReleasePermissions() {
    }

    /** Returns how many files and directories were changed; 0 where the file system has no POSIX modes. */
    static int openToReaders(Path release) throws IOException {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return 0;
        }
        int[] changed = {0};
        Files.walkFileTree(release, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                changed[0] += grant(dir, DIRECTORY);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    changed[0] += grant(file, FILE);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return changed[0];
    }

    private static int grant(Path path, Set<PosixFilePermission> wanted) throws IOException {
        Set<PosixFilePermission> now = Files.getPosixFilePermissions(path);
        if (now.containsAll(wanted)) {
            return 0;
        }
        Set<PosixFilePermission> more = EnumSet.copyOf(wanted);
        more.addAll(now);
        Files.setPosixFilePermissions(path, more);
        return 1;
    }
}
