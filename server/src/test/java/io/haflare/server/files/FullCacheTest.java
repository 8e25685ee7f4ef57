package io.haflare.server.files;

import io.haflare.server.SiteConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A cache full of paths nobody asks for any more (a scanner's) makes room for the site's pages. */
class FullCacheTest {
    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    @TempDir
    Path dir;

    private Release releaseHolding(int entries) throws Exception {
        return releaseHolding(entries, 64L * 1024 * 1024);
    }

    /** Files a, b and c.html, of 8 bytes each. */
    private Release releaseHolding(int entries, long bytes) throws Exception {
        for (String name : new String[] {"a", "b", "c"}) {
            Files.writeString(dir.resolve(name + ".html"), "<p>" + name + "</p>");
        }
        SiteConfig.FileCache small = new SiteConfig.FileCache(128 * 1024, bytes, Duration.ofMillis(500), entries);
        return new Release(dir, SiteConfig.defaults(dir).withFileCache(small), message -> { });
    }

    private static boolean inMemory(Resolution resolution) {
        return resolution.entry().identity().inMemory();
    }

    private static void resolveAll(Release release, long nowNanos, String... paths) {
        for (String path : paths) {
            release.resolve(path, false, nowNanos);
        }
    }

    @Test
    void pathsUnusedForASecondGiveWayToNewOnes() throws Exception {
        Release release = releaseHolding(3);
        long t0 = System.nanoTime();
        resolveAll(release, t0, "/a.html", "/wp-login.php", "/.env.bak");
        release.resolve("/b.html", false, t0 + 1);
        assertThat(release.cached("/b.html", t0 + 2)).as("full, and nothing idle yet").isNull();

        long later = t0 + 2 * SECOND;
        assertThat(release.cached("/a.html", later - 1)).as("used again: renewed").isNotNull();
        assertThat(release.resolve("/b.html", false, later).kind()).isEqualTo(Resolution.Kind.FILE);
        assertThat(release.cached("/b.html", later)).as("the scan's paths made room").isNotNull();
        assertThat(release.cached("/a.html", later)).as("used in the last second: kept").isNotNull();
        assertThat(release.cached("/wp-login.php", later)).isNull();
    }

    @Test
    void aFullCacheLooksForIdlePathsAtMostOnceASecond() throws Exception {
        Release release = releaseHolding(2);
        long t0 = System.nanoTime();
        resolveAll(release, t0, "/x", "/y");
        long t1 = t0 + 2 * SECOND;
        resolveAll(release, t1, "/a.html", "/z"); // a look: /x and /y go
        long t2 = t1 + 2 * SECOND; // /a.html and /z idle by now
        resolveAll(release, t2, "/b.html", "/q"); // a look: both go
        release.resolve("/c.html", false, t2 + SECOND / 2);
        assertThat(release.cached("/c.html", t2 + SECOND / 2)).as("full, and the last look was half a second ago").isNull();
        release.resolve("/c.html", false, t2 + 4 * SECOND);
        assertThat(release.cached("/c.html", t2 + 4 * SECOND)).isNotNull();
    }

    /** Memory full of files nobody asks for any more: they give way too, rather than hold it for good. */
    @Test
    void bytesUnusedForASecondGiveWayToNewFiles() throws Exception {
        Release release = releaseHolding(100, 16);
        long t0 = System.nanoTime();
        assertThat(inMemory(release.resolve("/a.html", false, t0))).isTrue();
        assertThat(inMemory(release.resolve("/b.html", false, t0))).isTrue();
        assertThat(inMemory(release.resolve("/c.html", false, t0))).as("16 bytes in all: sent from the file").isFalse();

        long later = t0 + 2 * SECOND;
        assertThat(release.cached("/b.html", later - 1)).as("used again: renewed").isNotNull();
        Files.writeString(dir.resolve("d.html"), "<p>d</p>");
        assertThat(inMemory(release.resolve("/d.html", false, later))).as("a look made room").isTrue();
        assertThat(release.cached("/a.html", later)).as("idle: dropped").isNull();
        assertThat(inMemory(release.cached("/b.html", later))).as("used in the last second: kept").isTrue();
    }
}
