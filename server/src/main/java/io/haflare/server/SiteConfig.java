package io.haflare.server;

import io.haflare.server.files.CachePolicy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything the server needs to serve a site. {@code root} null serves the embedded welcome page.
 * {@code accessLog} is "stdout", "off" or a file path.
 */
public record SiteConfig(Path root, String host, int port, CachePolicy cachePolicy, boolean gzipOnTheFly,
                         Map<String, String> securityHeaders, FileCache fileCache, Limits limits,
                         String accessLog, int ioThreads) {

    /**
     * In-memory file cache: files up to maxFileBytes are kept in memory, maxTotalBytes in all, rechecked after
     * validity. Larger files go out with sendfile: above about 128 KiB copying from memory costs the serving
     * CPU more than the kernel's sendfile from its page cache, which copies nothing on that CPU (a 250 KB
     * image: 16.4k against 14.2k req/s; a 96 KB one: 30.9k against 34.7k).
     */
    public record FileCache(long maxFileBytes, long maxTotalBytes, Duration validity, int maxEntries) {
        public static FileCache defaults() {
            return new FileCache(128 * 1024, 64L * 1024 * 1024, Duration.ofMillis(500), 50_000);
        }
    }

    /** Limits that keep slow or hostile clients from starving others (nginx-like defaults). */
    public record Limits(int maxUrlLength, int maxHeaderBytes, int maxHeaders, Duration idleTimeout,
                         Duration requestParseTimeout, int maxConnections) {
        public static Limits defaults() {
            // idle longer than cloudflared's 90 s keep-alive to its origin, so the agent closes first, never us mid-reuse
            // 32 KiB of request headers: what nginx takes (4 buffers of 8k), so a visitor whose cookies for the
            // domain add up to 20 KB (analytics, A/B tests, the main app's) is served as nginx serves them
            return new Limits(8192, 32 * 1024, 100, Duration.ofSeconds(120), Duration.ofSeconds(10), 10_000);
        }
    }

    public static Map<String, String> defaultSecurityHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "strict-origin-when-cross-origin");
        return headers;
    }

    public static SiteConfig defaults(Path root) {
        return new SiteConfig(root, "127.0.0.1", 8080, CachePolicy.defaults(), true, defaultSecurityHeaders(),
                FileCache.defaults(), Limits.defaults(), "stdout", 0);
    }

    public SiteConfig withListen(String host, int port) {
        return new SiteConfig(root, host, port, cachePolicy, gzipOnTheFly, securityHeaders, fileCache, limits,
                accessLog, ioThreads);
    }

    public SiteConfig withAccessLog(String target) {
        return new SiteConfig(root, host, port, cachePolicy, gzipOnTheFly, securityHeaders, fileCache, limits,
                target, ioThreads);
    }

    public SiteConfig withGzipOnTheFly(boolean enabled) {
        return new SiteConfig(root, host, port, cachePolicy, enabled, securityHeaders, fileCache, limits,
                accessLog, ioThreads);
    }

    public SiteConfig withCachePolicy(CachePolicy policy) {
        return new SiteConfig(root, host, port, policy, gzipOnTheFly, securityHeaders, fileCache, limits,
                accessLog, ioThreads);
    }

    public SiteConfig withLimits(Limits newLimits) {
        return new SiteConfig(root, host, port, cachePolicy, gzipOnTheFly, securityHeaders, fileCache, newLimits,
                accessLog, ioThreads);
    }

    public SiteConfig withFileCache(FileCache cache) {
        return new SiteConfig(root, host, port, cachePolicy, gzipOnTheFly, securityHeaders, cache, limits,
                accessLog, ioThreads);
    }
}
