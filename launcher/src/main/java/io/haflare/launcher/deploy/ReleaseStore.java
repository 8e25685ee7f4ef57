package io.haflare.launcher.deploy;

import io.haflare.launcher.lock.ExclusiveLock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Releases on disk: {@code <sites>/releases/<id>/} and the {@code current} symlink the node serves. The link
 * is switched by renaming a new symlink over it (rename(2) is atomic), so there is never a moment without one.
 */
public final class ReleaseStore {
    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final String STAGING_PREFIX = ".staging-";

    private final Path sites;
    private final Path releases;
    private final Path current;

    public ReleaseStore(Path sites) {
        this.sites = sites.toAbsolutePath().normalize();
        this.releases = this.sites.resolve("releases");
        this.current = this.sites.resolve("current");
    }

    public Path sites() {
        return sites;
    }

    public Path currentLink() {
        return current;
    }

    public Path dirOf(String id) {
        return releases.resolve(id);
    }

    /** Holds the store's lock for one deploy, rollback or prune; a second one at the same time is refused. */
    public AutoCloseable lock() throws IOException {
        Files.createDirectories(releases);
        Path file = sites.resolve(".deploy.lock");
        ExclusiveLock lock = ExclusiveLock.tryAcquire(file).orElseThrow(() -> new DeployException("another deploy or"
                + " rollback is running on " + sites + " (its lock " + file + " is held); wait for it and try again",
                false));
        removeStaleStaging();
        return lock;
    }

    /** An empty staging directory beside the releases; {@link #publish} makes it a release. */
    public Path newStaging() throws IOException {
        return Files.createDirectory(releases.resolve(STAGING_PREFIX + UUID.randomUUID()));
    }

    public void publish(Path staging, String id) throws IOException {
        Files.move(staging, dirOf(id), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Every release, oldest first. */
    public List<ReleaseInfo> list() {
        List<ReleaseInfo> all = new ArrayList<>();
        if (!Files.isDirectory(releases)) {
            return all;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(releases)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (!name.startsWith(".") && Files.isDirectory(dir)) {
                    all.add(ReleaseInfo.readFrom(dir));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + releases, e);
        }
        all.sort(Comparator.comparing(ReleaseInfo::deployedAt).thenComparing(ReleaseInfo::id));
        return all;
    }

    /** The id current points to, when it points into releases/. */
    public Optional<String> currentId() {
        try {
            Path target = current.getParent().resolve(Files.readSymbolicLink(current)).normalize();
            return target.getParent() != null && target.getParent().equals(releases)
                    ? Optional.of(target.getFileName().toString()) : Optional.empty();
        } catch (NoSuchFileException | java.nio.file.NotLinkException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + current, e);
        }
    }

    /** Refuses a current that is a real directory: it cannot be replaced atomically, so nothing is staged for it. */
    public void requireSwitchable() {
        if (Files.isDirectory(current) && !Files.isSymbolicLink(current)) {
            throw new DeployException(current + " is a real directory, not a symlink: move it aside (for example to "
                    + releases.resolve("initial") + ") so deploys can switch it atomically", false);
        }
    }

    /** Points current at releases/id by renaming a fresh symlink over it. */
    public void switchTo(String id) throws IOException {
        requireSwitchable();
        Path link = sites.resolve(".current-" + UUID.randomUUID());
        Files.createSymbolicLink(link, sites.relativize(dirOf(id))); // relative: the tree may be moved or mounted elsewhere
        try {
            Files.move(link, current, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.deleteIfExists(link);
            throw new DeployException("this file system cannot replace " + current + " atomically", false);
        } catch (IOException e) {
            Files.deleteIfExists(link);
            throw e;
        }
    }

    /** Deletes the oldest releases beyond keep, never the current one; returns the ids removed. */
    public List<String> prune(int keep) throws IOException {
        List<ReleaseInfo> all = list();
        String currentId = currentId().orElse(null);
        List<String> removed = new ArrayList<>();
        int excess = all.size() - keep;
        for (ReleaseInfo release : all) {
            if (excess <= 0) {
                break;
            }
            if (!release.id().equals(currentId)) {
                deleteTree(dirOf(release.id()));
                removed.add(release.id());
                excess--;
            }
        }
        return removed;
    }

    /** Leftovers of a deploy that was interrupted (the lock proves none is running). */
    private void removeStaleStaging() throws IOException {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(releases, STAGING_PREFIX + "*")) {
            for (Path dir : dirs) {
                deleteTree(dir);
            }
        }
        try (DirectoryStream<Path> links = Files.newDirectoryStream(sites, ".current-*")) {
            for (Path link : links) {
                Files.deleteIfExists(link);
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
