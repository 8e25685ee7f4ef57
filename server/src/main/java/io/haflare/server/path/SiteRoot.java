package io.haflare.server.path;

import io.haflare.server.files.Release;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The configured site root, which may be a symlink a deploy switches atomically ({@code current ->
 * releases/<id>}). Each request asks for the current release: one readlink per request, so the next request
 * after a switch serves the new release, and a request that already has its release finishes with it.
 */
public final class SiteRoot {
    private static final int MAX_LINKS = 8;

    private final Path root;
    private final Function<Path, Release> releases;
    private volatile Release current;

    public SiteRoot(Path root, Function<Path, Release> releases) {
        this.root = root.toAbsolutePath().normalize();
        this.releases = releases;
    }

    public Path root() {
        return root;
    }

    public Release current() {
        Path target = follow(root);
        Release release = current;
        if (release != null && release.dir().equals(target)) {
            return release;
        }
        synchronized (this) {
            release = current;
            if (release == null || !release.dir().equals(target)) {
                release = releases.apply(target); // a fresh cache: nothing of the previous release carries over
                current = release;
            }
            return release;
        }
    }

    /** Follows a chain of symlinks at the root itself (not inside it) to the release directory. */
    static Path follow(Path path) {
        Path p = path;
        for (int i = 0; i < MAX_LINKS && Files.isSymbolicLink(p); i++) {
            try {
                Path parent = p.getParent();
                Path target = Files.readSymbolicLink(p);
                p = parent == null ? target : parent.resolve(target).normalize();
            } catch (IOException e) {
                return p;
            }
        }
        return p;
    }
}
