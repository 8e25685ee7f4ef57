package io.haflare.server.files;

import io.haflare.server.rules.HeaderRules;
import io.haflare.server.rules.RedirectRules;
import io.haflare.server.rules.RuleProblem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A release's _headers and _redirects and its real directory, rechecked (one stat each) once per validity
 * period so edits in place are picked up without a restart.
 */
public final class SiteRules {
    /** Receives the operator-facing warnings: ignored rule lines, a missing site directory. */
    public interface Listener {
        void warn(String message);
    }

    private final Path dir;
    private final long validityNanos;
    private final Listener listener;
    private volatile State state;
    /** When a request last claimed the refresh of stale rules; null when no refresh is pending. */
    private final AtomicReference<Long> refreshClaimedAt = new AtomicReference<>();

    private record State(Path realDir, HeaderRules headers, RedirectRules redirects, FileTime headersTime,
                         FileTime redirectsTime, long validUntil) {}

    SiteRules(Path dir, long validityNanos, Listener listener) {
        this.dir = dir;
        this.validityNanos = validityNanos;
        this.listener = listener;
        this.state = new State(null, HeaderRules.NONE, RedirectRules.NONE, null, null, 0);
        refreshIfStale(System.nanoTime());
        if (state.realDir() == null) { // a deploy switched the root to a release that is not there (yet)
            listener.warn("site directory " + dir + " does not exist: every request answers 404 until it does");
        }
    }

    public boolean isFresh(long nowNanos) {
        return nowNanos - state.validUntil() < 0;
    }

    /**
     * Claims the refresh of stale rules for the calling request, which hands it to a worker. Every request
     * until it is done, that one included, is served by the rules it replaces, as it would have been a moment
     * before, rather than waiting for a worker: under load, every request of the refresh's moment once did,
     * twice a second, and showed in the slowest tenth of a percent. A claim whose refresh never ran (the
     * worker pool refused it) lapses after one validity period.
     */
    public boolean claimRefresh(long nowNanos) {
        Long claimed = refreshClaimedAt.get();
        if (claimed != null && nowNanos - claimed < validityNanos) {
            return false;
        }
        return refreshClaimedAt.compareAndSet(claimed, nowNanos);
    }

    public HeaderRules headers() {
        return state.headers();
    }

    public RedirectRules redirects() {
        return state.redirects();
    }

    /** The release's real directory, or null while it does not exist. */
    Path realDir() {
        return state.realDir();
    }

    /** Reloads what changed when stale; true when the rules or the directory changed. */
    synchronized boolean refreshIfStale(long nowNanos) {
        State old = state;
        if (isFresh(nowNanos)) {
            return false;
        }
        Path realDir = findRealDir();
        if (realDir == null && old.realDir() != null) {
            listener.warn("site directory " + dir + " is gone: every request answers 404 until it is back");
        }
        FileTime headersTime = realDir == null ? null : modified(realDir.resolve(HeaderRules.FILE));
        FileTime redirectsTime = realDir == null ? null : modified(realDir.resolve(RedirectRules.FILE));
        HeaderRules headers = old.headers();
        RedirectRules redirects = old.redirects();
        boolean changed = !Objects.equals(realDir, old.realDir());
        if (changed || !Objects.equals(headersTime, old.headersTime())) {
            headers = headersTime == null ? HeaderRules.NONE : HeaderRules.parse(read(realDir.resolve(HeaderRules.FILE)));
            report(headers.problems());
            changed = true;
        }
        if (changed || !Objects.equals(redirectsTime, old.redirectsTime())) {
            redirects = redirectsTime == null ? RedirectRules.NONE
                    : RedirectRules.parse(read(realDir.resolve(RedirectRules.FILE)));
            report(redirects.problems());
            changed = true;
        }
        state = new State(realDir, headers, redirects, headersTime, redirectsTime, nowNanos + validityNanos);
        refreshClaimedAt.set(null);
        return changed;
    }

    private Path findRealDir() {
        try {
            Path real = dir.toRealPath();
            return Files.isDirectory(real) ? real : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static FileTime modified(Path file) {
        BasicFileAttributes attrs;
        try {
            attrs = ReleaseFiles.stat(file);
        } catch (UnreadableFileException e) {
            return null; // the release's directory cannot be searched: each request answers 403 and says so
        }
        return attrs != null && attrs.isRegularFile() ? attrs.lastModifiedTime() : null;
    }

    private String read(Path file) {
        try {
            return TextFile.read(file); // a _redirects saved by Notepad or PowerShell keeps its first rule
        } catch (IOException e) {
            listener.warn("cannot read " + file + ": " + e.getMessage() + " (rules ignored)");
            return "";
        }
    }

    /**
     * The lines of a site directory's _headers and _redirects that a node would ignore, read as a node reads
     * them: for deploy and check to report before a node does.
     */
    public static List<RuleProblem> problemsIn(Path siteDir) throws IOException {
        List<RuleProblem> problems = new ArrayList<>();
        Path headers = siteDir.resolve(HeaderRules.FILE);
        if (Files.isRegularFile(headers)) {
            problems.addAll(HeaderRules.parse(TextFile.read(headers)).problems());
        }
        problems.addAll(redirectsIn(siteDir).problems());
        return problems;
    }

    /** A site directory's _redirects as a node reads it, or none. */
    public static RedirectRules redirectsIn(Path siteDir) throws IOException {
        Path redirects = siteDir.resolve(RedirectRules.FILE);
        return Files.isRegularFile(redirects) ? RedirectRules.parse(TextFile.read(redirects)) : RedirectRules.NONE;
    }

    private void report(List<RuleProblem> problems) {
        for (RuleProblem problem : problems) {
            listener.warn(dir.resolve(problem.file()) + ":" + problem.line() + ": " + problem.message());
        }
    }
}
