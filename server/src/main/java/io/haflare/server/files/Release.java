package io.haflare.server.files;

import io.haflare.server.SiteConfig;
import io.haflare.server.rules.HeaderRules;
import io.haflare.server.rules.RedirectRules;
import io.undertow.util.DateUtils;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Date;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One release of the site (the directory the root resolves to) and its cache of resolved paths. A deploy
 * that switches the root makes a new Release, so a cache never mixes two releases. {@link #cached} never
 * blocks and is safe on an IO thread; {@link #resolve} reads the disk and runs on a worker.
 */
public final class Release {
    private static final int GZIP_MIN_BYTES = 1024;
    /**
     * Compressible files up to this size get a gzip variant, kept in memory, even when the file itself is not:
     * a site search's index or a bundle of some megabytes would otherwise cross the tunnel uncompressed.
     */
    private static final int GZIP_MAX_BYTES = 16 * 1024 * 1024;
    /** The directory a deploy keeps its releases in; only there do older releases stand behind this one. */
    private static final String RELEASES_DIR = "releases";
    private static final int MAX_HEADER_SETS = 256;
    /** A whole tree deployed unreadable is reported by its first few hundred files, not by every one. */
    private static final int MAX_REPORTED_UNREADABLE = 256;
    /** A site built at once has its files' mtimes in a few seconds; a copy that kept each file's own has more. */
    private static final int MAX_HTTP_DATES = 4096;
    /** A full cache drops the entries no request used for this long, to make room for new paths. */
    static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** ...looking at most this often: a look walks every entry. */
    static final long SWEEP_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Path dir;
    private final SiteConfig config;
    private final long validityNanos;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();
    private final AtomicLong memoryBytes = new AtomicLong();
    private final AtomicLong lastSweep = new AtomicLong();
    private volatile boolean swept;
    /** Header sets shared by every path that has the same one; _headers can put a path's own text in a value. */
    private final BoundedInterner<Map<String, String>, ResponseHeaders> headerSets =
            new BoundedInterner<>(MAX_HEADER_SETS);
    /** Last-Modified values by second: the files of one build share a few. */
    private final BoundedInterner<Long, String> httpDates = new BoundedInterner<>(MAX_HTTP_DATES);
    private final SiteRules rules;
    private final SiteRules.Listener listener;
    /** Files already reported unreadable in this release: one warning each, not one per request. */
    private final java.util.Set<Path> reportedUnreadable = ConcurrentHashMap.newKeySet();
    private volatile String fingerprint;

    /** A cached resolution and when it must be checked again. */
    private static final class Cached {
        final Resolution resolution;
        volatile long validUntil;

        Cached(Resolution resolution, long validUntil) {
            this.resolution = resolution;
            this.validUntil = validUntil;
        }
    }

    public Release(Path dir, SiteConfig config, SiteRules.Listener listener) {
        this.dir = dir;
        this.config = config;
        this.validityNanos = config.fileCache().validity().toNanos();
        this.rules = new SiteRules(dir, validityNanos, listener);
        this.listener = listener;
    }

    public Path dir() {
        return dir;
    }

    public SiteRules rules() {
        return rules;
    }

    /** The content fingerprint of this release, or null while it is being computed (or could not be). */
    public String fingerprint() {
        return fingerprint;
    }

    /** Computes the fingerprint (blocking: reads every file); called off the request path. */
    public void computeFingerprint() {
        try {
            fingerprint = ContentFingerprint.of(dir);
        } catch (RuntimeException e) {
            fingerprint = null;
        }
    }

    /**
     * The cached resolution when it is still valid, or null when {@link #resolve} must run. A FILE past its
     * validity is rechecked with one stat here: unchanged, it stays; changed or gone, the caller resolves.
     * Stale rules do not void it: their refresh clears the cache when they changed.
     */
    public Resolution cached(String sitePath, long nowNanos) {
        Cached c = cache.get(sitePath);
        if (c == null) {
            return null;
        }
        if (nowNanos - c.validUntil < 0) {
            return c.resolution;
        }
        Resolution r = c.resolution;
        if (r.kind() == Resolution.Kind.FILE) {
            BasicFileAttributes attrs;
            try {
                attrs = ReleaseFiles.stat(r.file());
            } catch (UnreadableFileException e) {
                return null; // resolve says so
            }
            if (attrs != null && attrs.isRegularFile() && attrs.size() == r.size()
                    && attrs.lastModifiedTime().equals(r.modified())) {
                c.validUntil = nowNanos + validityNanos;
                return r;
            }
        }
        return null;
    }

    /** Resolves a safe site path against the disk (blocking) and caches the result. */
    public Resolution resolve(String sitePath, boolean hidden, long nowNanos) {
        refreshRules(nowNanos);
        Resolution found = found(sitePath, hidden, nowNanos);
        if (found != null) {
            return found;
        }
        Resolution notFound = notFound(sitePath, nowNanos);
        store(sitePath, notFound, cache.get(sitePath), nowNanos);
        return notFound;
    }

    /**
     * What in the site answers the path, cached; UNREADABLE (not cached: fixed permissions show at once) when
     * the node may not look; null, with nothing cached, when nothing answers.
     */
    private Resolution found(String sitePath, boolean hidden, long nowNanos) {
        Cached previous = cache.get(sitePath);
        Resolution resolution;
        try {
            resolution = lookup(sitePath, hidden, previous == null ? null : previous.resolution, nowNanos);
        } catch (UnreadableFileException e) {
            reportUnreadable(e.path);
            return Resolution.unreadable(e.path);
        }
        if (resolution != null) {
            store(sitePath, resolution, previous, nowNanos);
        }
        return resolution;
    }

    private void reportUnreadable(Path file) {
        if (reportedUnreadable.size() < MAX_REPORTED_UNREADABLE && reportedUnreadable.add(file)) {
            listener.warn("cannot read " + file + ": permission denied, answering 403 (the node's user must be"
                    + " able to read the site's files and search its directories)");
        }
    }

    /** A file, or the directory form, that answers the path; null when nothing does. */
    private Resolution lookup(String sitePath, boolean hidden, Resolution previous, long nowNanos) {
        Path realDir = rules.realDir();
        if (hidden || realDir == null || isRuleFile(sitePath)) {
            return null;
        }
        Path target = ReleaseFiles.locate(dir, sitePath);
        if (target == null) {
            return null;
        }
        if (sitePath.endsWith("/")) {
            return fileIfInside(sitePath, target.resolve("index.html"), realDir, previous, nowNanos);
        }
        BasicFileAttributes attrs = ReleaseFiles.stat(target);
        if (attrs != null && attrs.isRegularFile()) {
            Resolution file = fileIfInside(sitePath, target, realDir, previous, nowNanos);
            if (file != null) {
                return file;
            }
        } else if (attrs != null && attrs.isDirectory() && ReleaseFiles.inside(target, realDir)) {
            BasicFileAttributes index = ReleaseFiles.stat(target.resolve("index.html"));
            if (index != null && index.isRegularFile()) {
                return Resolution.addSlash();
            }
        }
        Resolution html = fileIfInside(sitePath, target.resolveSibling(target.getFileName() + ".html"), realDir,
                previous, nowNanos);
        if (html != null) {
            return html;
        }
        return fromOlderRelease(sitePath, previous, nowNanos);
    }

    /**
     * A fingerprinted asset this release lacks, from a release deployed before it (releases/<id>/ beside this
     * one): a page loaded just before a deploy still gets its old main.<hash>.css. The name promises the
     * content, so serving it from an older release mixes nothing.
     */
    private Resolution fromOlderRelease(String sitePath, Resolution previous, long nowNanos) {
        Path parent = dir.getParent();
        if (!config.cachePolicy().isFingerprinted(sitePath) || parent == null || parent.getFileName() == null
                || !parent.getFileName().toString().equals(RELEASES_DIR)) {
            return null;
        }
        for (Path older : ReleaseFiles.siblingsNewestFirst(dir)) {
            Path candidate = ReleaseFiles.locate(older, sitePath);
            BasicFileAttributes attrs = candidate == null ? null : ReleaseFiles.stat(candidate);
            if (attrs != null && attrs.isRegularFile()) {
                Path olderReal = ReleaseFiles.realPath(older);
                Resolution file = olderReal == null ? null : fileIfInside(sitePath, candidate, olderReal, previous,
                        nowNanos);
                if (file != null) {
                    return file;
                }
            }
        }
        return null;
    }

    private static boolean isRuleFile(String sitePath) {
        return sitePath.equals("/" + HeaderRules.FILE) || sitePath.equals("/" + RedirectRules.FILE);
    }

    private Resolution fileIfInside(String sitePath, Path file, Path realDir, Resolution previous,
                                    long nowNanos) {
        BasicFileAttributes attrs = ReleaseFiles.stat(file);
        if (attrs == null || !attrs.isRegularFile()) {
            return null;
        }
        Path real = ReleaseFiles.realPathInside(file, realDir);
        if (real == null || !ReleaseFiles.isServable(realDir.relativize(real))) {
            return null;
        }
        if (previous != null && previous.kind() == Resolution.Kind.FILE && file.equals(previous.file())
                && attrs.size() == previous.size() && attrs.lastModifiedTime().equals(previous.modified())) {
            return previous; // unchanged: keep the bytes already in memory
        }
        try {
            FileEntry entry = load(file, attrs, realDir, nowNanos);
            return new Resolution(Resolution.Kind.FILE, entry, headersFor(sitePath, entry.contentType()), file,
                    attrs.lastModifiedTime(), attrs.size());
        } catch (IOException e) {
            return null; // vanished or unreadable between stat and read: not found
        }
    }

    private FileEntry load(Path file, BasicFileAttributes attrs, Path realDir, long nowNanos) throws IOException {
        String contentType = ContentTypes.forName(file.getFileName().toString());
        Map<Encoding, Representation> reps = new EnumMap<>(Encoding.class);
        Representation identity = representation(Encoding.IDENTITY, file, attrs, nowNanos);
        reps.put(Encoding.IDENTITY, identity);
        for (Encoding encoding : new Encoding[] {Encoding.BR, Encoding.ZSTD, Encoding.GZIP}) {
            Path sibling = file.resolveSibling(file.getFileName() + encoding.suffix());
            BasicFileAttributes siblingAttrs = ReleaseFiles.stat(sibling);
            if (siblingAttrs != null && siblingAttrs.isRegularFile() && ReleaseFiles.inside(sibling, realDir)) {
                reps.put(encoding, representation(encoding, sibling, siblingAttrs, nowNanos));
            }
        }
        if (config.gzipOnTheFly() && !reps.containsKey(Encoding.GZIP) && identity.size() > GZIP_MIN_BYTES
                && identity.size() <= GZIP_MAX_BYTES && ContentTypes.isCompressible(contentType)) {
            ByteBuffer gz = identity.inMemory() ? ReleaseFiles.gzip(identity.content())
                    : ReleaseFiles.gzip(file, identity.size());
            if (gz.remaining() < identity.size() && memoryFor(gz.remaining(), nowNanos)) {
                reps.put(Encoding.GZIP, new Representation(Encoding.GZIP, null, gz.remaining(),
                        EntityTags.derived(identity.etag(), "gzip"), gz));
            }
        }
        long modified = attrs.lastModifiedTime().toMillis();
        String modifiedHttp = httpDates.intern(Math.floorDiv(modified, 1000),
                seconds -> DateUtils.toDateString(new Date(seconds * 1000)));
        return new FileEntry(contentType, modified, modifiedHttp, reps);
    }

    private Representation representation(Encoding encoding, Path file, BasicFileAttributes attrs, long nowNanos)
            throws IOException {
        long size = attrs.size();
        ByteBuffer content = null;
        if (size <= config.fileCache().maxFileBytes() && memoryFor(size, nowNanos)) {
            content = ReleaseFiles.read(file, size);
            if (content.remaining() != size) {
                throw new IOException("file changed while reading: " + file);
            }
        } else {
            ReleaseFiles.checkReadable(file); // opened per request: found out now, not after the headers went
        }
        return new Representation(encoding, file, size, EntityTags.of(attrs.lastModifiedTime().toMillis(), size),
                content);
    }

    private Resolution notFound(String sitePath, long nowNanos) {
        FileEntry page = nearestNotFoundPage(sitePath, nowNanos);
        String type = page != null ? page.contentType() : "text/plain; charset=utf-8";
        return Resolution.notFound(page, headersFor(sitePath, type));
    }

    /**
     * The 404.html closest to the path: /fr/a/b → /fr/a/404.html, /fr/404.html, /404.html. Only directories
     * that exist are looked in, and a candidate that is not a file is not resolved further (its own 404
     * page would be this walk again): a path of thousands of made-up segments costs a stat, not a
     * recursion per segment, which overflowed the stack (a 500) at about 2,000.
     */
    private FileEntry nearestNotFoundPage(String sitePath, long nowNanos) {
        if (rules.realDir() == null) {
            return null;
        }
        int slash = deepestExistingDirectory(sitePath);
        while (slash >= 0) {
            String candidate = sitePath.substring(0, slash + 1) + "404.html";
            if (!candidate.equals(sitePath) && !sitePath.startsWith(candidate + "/")) {
                Resolution r = cached(candidate, nowNanos);
                if (r == null) {
                    r = found(candidate, false, nowNanos);
                }
                if (r != null && r.kind() == Resolution.Kind.FILE) {
                    return r.entry();
                }
            }
            slash = sitePath.lastIndexOf('/', slash - 1);
        }
        return null;
    }

    /** The index of the "/" that ends the path's deepest directory that exists: 0 for the root. */
    private int deepestExistingDirectory(String sitePath) {
        int deepest = 0;
        for (int slash = sitePath.indexOf('/', 1); slash > 0; slash = sitePath.indexOf('/', slash + 1)) {
            Path directory = ReleaseFiles.locate(dir, sitePath.substring(0, slash));
            BasicFileAttributes attrs;
            try {
                attrs = directory == null ? null : ReleaseFiles.stat(directory);
            } catch (UnreadableFileException e) {
                break;
            }
            if (attrs == null || !attrs.isDirectory()) {
                break;
            }
            deepest = slash;
        }
        return deepest;
    }

    private ResponseHeaders headersFor(String sitePath, String contentType) {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("Content-Type", contentType);
        String cacheControl = config.cachePolicy().forFile(sitePath, contentType);
        if (!cacheControl.isEmpty()) { // configured empty: none, as nginx sends none without `expires`
            defaults.put("Cache-Control", cacheControl);
        }
        defaults.putAll(config.securityHeaders());
        return headerSets.intern(rules.headers().apply(sitePath, defaults), ResponseHeaders::new);
    }

    private void store(String sitePath, Resolution resolution, Cached previous, long nowNanos) {
        if (previous == null && !roomFor(nowNanos)) {
            return; // bounded: a flood of distinct paths cannot grow the cache without limit
        }
        Cached replaced = cache.put(sitePath, new Cached(resolution, nowNanos + validityNanos));
        memoryBytes.addAndGet(memoryBytes(resolution) - (replaced == null ? 0 : memoryBytes(replaced.resolution)));
    }

    /** The bytes a cached resolution holds in memory; two resolutions of one unchanged file share them. */
    private static long memoryBytes(Resolution resolution) {
        return resolution.kind() == Resolution.Kind.FILE ? resolution.entry().memoryBytes() : 0;
    }

    /** Room for one more path, after dropping the idle ones if the cache is full. */
    private boolean roomFor(long nowNanos) {
        int max = config.fileCache().maxEntries();
        return cache.size() < max || sweptIdle(nowNanos) && cache.size() < max;
    }

    /** Room for size more bytes in memory, after dropping the idle paths if memory is full. */
    private boolean memoryFor(long size, long nowNanos) {
        long max = config.fileCache().maxTotalBytes();
        return memoryBytes.get() + size <= max || sweptIdle(nowNanos) && memoryBytes.get() + size <= max;
    }

    /**
     * Drops the entries no request used for {@link #IDLE_NANOS}, at most once per {@link #SWEEP_EVERY_NANOS}
     * (a look walks every entry); true when it looked. Run when the cache is full, of paths or of bytes.
     * Without it a scan of 50,000 made-up paths (a vulnerability scanner's) filled the cache for good, and
     * every page not yet cached was read and gzipped again on each request; and the first 64 MiB of files
     * asked for held the memory however cold they went. An entry's validUntil is never earlier than its last
     * use (a use after it renews it), so one that ended IDLE_NANOS ago went unused that long.
     */
    private boolean sweptIdle(long nowNanos) {
        long last = lastSweep.get();
        if (swept && nowNanos - last < SWEEP_EVERY_NANOS || !lastSweep.compareAndSet(last, nowNanos)) {
            return false;
        }
        swept = true;
        for (Map.Entry<String, Cached> e : cache.entrySet()) {
            Cached c = e.getValue();
            if (nowNanos - c.validUntil > IDLE_NANOS && cache.remove(e.getKey(), c)) {
                memoryBytes.addAndGet(-memoryBytes(c.resolution));
            }
        }
        return true;
    }

    /** Rereads _headers and _redirects when their validity ran out (blocking); a change drops the cache, whose headers it baked in. */
    public void refreshRules(long nowNanos) {
        if (rules.refreshIfStale(nowNanos)) {
            cache.clear();
            headerSets.clear();
            memoryBytes.set(0);
        }
    }
}
