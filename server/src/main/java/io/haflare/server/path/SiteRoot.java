package io.haflare.server.path;

import io.haflare.server.files.Release;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The configured site root, which may be a symlink a deploy switches atomically ({@code current ->
 * releases/<id>}). For a symlink root every request reads the link (one readlink), so the request after a
 * switch is served from the new release, and a request that already has its release finishes with it.
 * A plain directory root costs nothing per request; whether it has become a symlink is checked once per
 * recheck period.
 */
public final class SiteRoot {
    private static final int MAX_LINKS = 8;

    private final Path root;
    private final Function<Path, Release> releases;
    private final long recheckNanos;
    private volatile State state;

    /** What the root resolved to, and the link text that produced it (null for a plain directory). */
    private record State(Path linkText, Release release, long recheckAt) {}

    public SiteRoot(Path root, long recheckNanos, Function<Path, Release> releases) {
        this.root = root.toAbsolutePath().normalize();
        this.releases = releases;
        this.recheckNanos = recheckNanos;
    }

    public Path root() {
        return root;
    }

    public Release current() {
        State s = state;
        if (s != null) {
            if (s.linkText() == null) {
                if (System.nanoTime() - s.recheckAt() < 0) {
                    return s.release();
                }
            } else {
                Path linkText = readLink();
                if (s.linkText().equals(linkText)) {
                    return s.release();
                }
            }
        }
        return switchTo();
    }

    private synchronized Release switchTo() {
        Path linkText = readLink();
        Path target = follow(root);
        State s = state;
        Release release = s != null && s.release().dir().equals(target)
                ? s.release()
                : releases.apply(target); // a fresh cache: nothing of the previous release carries over
        state = new State(linkText, release, System.nanoTime() + recheckNanos);
        return release;
    }

    /** The root's own link text, or null when it is not a symlink (or cannot be read). */
    private Path readLink() {
        try {
            return Files.readSymbolicLink(root);
        } catch (NotLinkException e) {
            return null;
        } catch (IOException | UnsupportedOperationException e) {
            return null;
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
