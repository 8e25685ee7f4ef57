package io.haflare.launcher.deploy;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/** Fills a staging directory from what the operator uploaded: a build output directory or a .tar.gz of one. */
final class ReleaseSource {
    private ReleaseSource() {
    }

    /** Refuses a source that is neither a directory nor a .tar.gz / .tgz, before anything is staged. */
    static void requireUsable(Path source) {
        if (Files.isDirectory(source) || isArchive(source)) {
            return;
        }
        if (!Files.exists(source)) {
            throw new DeployException("source " + source + " does not exist (pass the build output directory,"
                    + " for example ./public, or a .tar.gz of it)", true);
        }
        throw new DeployException("source " + source + " is neither a directory nor a .tar.gz / .tgz archive (extract"
                + " it, or make one of the build: tar czf site.tgz -C public .)", true);
    }

    /**
     * Refuses, before copying it, a directory without a home page whose generator output has one: the project
     * given instead of its build, which may hold node_modules and the like. Any other directory without one
     * is staged and refused by validation, with everything else wrong in it.
     */
    static void requireNotTheProject(Path source) {
        if (!Files.isDirectory(source) || Files.isRegularFile(source.resolve("index.html"))) {
            return;
        }
        BuildOutput.under(source).ifPresent(output -> {
            throw new Deployment.Refused(List.of(Finding.problem("no index.html at the root of " + source + ": / would"
                    + " answer 404; " + output + " has one: is that the build output to deploy? (`haflare-node deploy "
                    + output + "`)")));
        });
    }

    /**
     * Refuses a source directory that holds the sites directory (`deploy /srv/site` with the releases in
     * /srv/site/sites): copying it would copy the staging directory into itself without end.
     */
    static void requireApart(Path source, Path sites) throws IOException {
        if (!Files.isDirectory(source)) {
            return;
        }
        if (realPathOf(sites).startsWith(source.toRealPath())) {
            throw new DeployException("source " + source + " holds the releases' directory " + sites + ": pass the"
                    + " build output directory itself (for example ./public)", true);
        }
    }

    /** The real path of what exists of path, with the rest appended: sites need not exist before the first deploy. */
    private static Path realPathOf(Path path) throws IOException {
        Path absolute = path.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing.getParent() != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing.toRealPath().resolve(existing.relativize(absolute));
    }

    /** Copies or extracts source into staging; returns a note for the operator, or null. */
    static String stage(Path source, Path staging) throws IOException {
        requireUsable(source);
        if (Files.isDirectory(source)) {
            copyTree(source, staging);
            return null;
        }
        TarGzArchive.extract(source, staging);
        return hoistSingleDirectory(staging);
    }

    private static boolean isArchive(Path source) {
        String name = source.getFileName() == null ? "" : source.getFileName().toString();
        return Files.isRegularFile(source) && (name.endsWith(".tar.gz") || name.endsWith(".tgz"));
    }

    /** Copies files, directories and symlinks (as links) with their modification times. */
    private static void copyTree(Path source, Path target) throws IOException {
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path to = target.resolve(source.relativize(dir).toString());
                Files.createDirectories(to);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path to = target.resolve(source.relativize(file).toString());
                if (attrs.isSymbolicLink()) {
                    Files.createSymbolicLink(to, Files.readSymbolicLink(file));
                } else if (attrs.isRegularFile()) {
                    Files.copy(file, to, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                } else {
                    throw new DeployException(file + " is neither a file, a directory nor a symlink: remove it"
                            + " from the build output", true);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.setLastModifiedTime(target.resolve(source.relativize(dir).toString()), Files.getLastModifiedTime(dir));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** `tar czf site.tgz public` puts everything under public/: serve what is inside it. */
    private static String hoistSingleDirectory(Path staging) throws IOException {
        if (Files.exists(staging.resolve("index.html"))) {
            return null;
        }
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(staging)) {
            all.forEach(entries::add);
        }
        if (entries.size() != 1 || !Files.isDirectory(entries.get(0), LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        Path only = entries.get(0);
        Path moved = staging.resolveSibling(staging.getFileName() + "-inner");
        Files.move(only, moved);
        Files.delete(staging);
        Files.move(moved, staging);
        return "the archive holds one directory, " + only.getFileName() + "/: its contents are the release";
    }
}
