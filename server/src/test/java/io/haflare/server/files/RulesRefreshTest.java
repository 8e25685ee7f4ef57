package io.haflare.server.files;

import io.haflare.server.SiteConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Stale _headers/_redirects are reread once, on one request's claim, while every request goes on being served from the cache. */
class RulesRefreshTest {
    private static final long VALIDITY = Duration.ofMillis(500).toNanos();

    @TempDir
    Path dir;

    @Test
    void oneRequestClaimsTheRefreshUntilItIsDoneOrItsClaimLapses() {
        SiteRules rules = new SiteRules(dir, VALIDITY, message -> { });
        long stale = System.nanoTime() + 2 * VALIDITY; // its first load was fresh until a validity after it ran
        assertThat(rules.isFresh(stale)).isFalse();

        assertThat(rules.claimRefresh(stale)).isTrue();
        assertThat(rules.claimRefresh(stale + 1)).as("refresh already claimed").isFalse();
        rules.refreshIfStale(stale + 2);
        assertThat(rules.isFresh(stale + 3)).isTrue();

        long staleAgain = stale + 2 + VALIDITY;
        assertThat(rules.claimRefresh(staleAgain)).as("the refresh done, the next staleness is claimed anew").isTrue();
        assertThat(rules.claimRefresh(staleAgain + VALIDITY - 1)).isFalse();
        assertThat(rules.claimRefresh(staleAgain + VALIDITY)).as("a claim whose refresh never ran lapses").isTrue();
    }

    @Test
    void aCachedFileIsServedWhileTheRulesAwaitTheirRefresh() throws Exception {
        Files.writeString(dir.resolve("page.html"), "<p>hi</p>");
        Release release = new Release(dir, SiteConfig.defaults(dir), message -> { });
        long now = System.nanoTime();
        Resolution resolved = release.resolve("/page.html", false, now);
        assertThat(resolved.kind()).isEqualTo(Resolution.Kind.FILE);

        long later = now + 2 * VALIDITY;
        assertThat(release.rules().isFresh(later)).isFalse();
        assertThat(release.cached("/page.html", later)).as("no trip to a worker for every request").isSameAs(resolved);
    }
}
