package io.haflare.server;

import io.haflare.server.files.CachePolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.regex.Pattern;

import static org.hamcrest.Matchers.equalTo;

class CachePolicyTest {
    @TempDir
    Path dir;

    @Test
    void htmlRevalidatesFingerprintedIsImmutableOthersCacheAnHour() {
        HugoLikeSite site = HugoLikeSite.create(dir);
        site.write("_astro/index-Bx3kQ9aZ.js", "x");
        try (RunningServer server = RunningServer.start(site.root())) {
            server.request().get("/").then().header("Cache-Control", equalTo("no-cache"));
            server.request().get("/about/").then().header("Cache-Control", equalTo("no-cache"));
            server.request().get("/css/" + site.cssName).then()
                    .header("Cache-Control", equalTo("public, max-age=31536000, immutable"));
            server.request().get("/_astro/index-Bx3kQ9aZ.js").then()
                    .header("Cache-Control", equalTo("public, max-age=31536000, immutable"));
            server.request().get("/images/logo.png").then().header("Cache-Control", equalTo("public, max-age=3600"));
            server.request().get("/js/app.js").then().header("Cache-Control", equalTo("public, max-age=3600"));
        }
    }

    /** The names the generators write, as their docs and issues show them, and names that only look alike. */
    @Test
    void theDefaultPatternKnowsEachGeneratorsFingerprints() {
        CachePolicy policy = CachePolicy.defaults();
        for (String fingerprinted : new String[] {
            "/css/main.min.ffdbf97e289ffe0154dba335b9d425cac3beb15047f31f9d0d7f47b351442ebf.css", // Hugo
            "/_astro/index-Bx3kQ9aZ.js", // Astro 2 and Vite 5 style
            "/_astro/index.DRf8L97S.js", "/_astro/Layout.DfRmkL8f.css", // Astro 3+ (docs: _astro/index.DRf8L97S.js)
            "/_astro/me.40e6410b_1OoVqG.png", "/_astro/cat.Bx0Fo7r4_Z2e4W2u.webp", // Astro's optimized images
            "/assets/index-DiwrgTda.js", "/assets/index-3c2a6b1f.js", // Vite 5, Vite 4
            "/_app/immutable/entry/start.BuTDjkzE.js", "/_app/immutable/assets/0.css", // SvelteKit
            "/_next/static/chunks/pages/index-4a5c6b7d8e9f0a1b.js", "/_next/static/Xa3kP0qLzR8vN2bT1mC4d/_buildManifest.js"}) {
            org.assertj.core.api.Assertions.assertThat(policy.isFingerprinted(fingerprinted)).as(fingerprinted).isTrue();
        }
        for (String plain : new String[] {"/js/app.js", "/assets/my-headline.png", "/assets/site.manifest.json",
            "/_astro/readme.md", "/images/logo.png", "/posts/some-article/", "/_next/image", "/_app/version.json"}) {
            org.assertj.core.api.Assertions.assertThat(policy.isFingerprinted(plain)).as(plain).isFalse();
        }
    }

    @Test
    void everyPolicyIsConfigurable() {
        HugoLikeSite site = HugoLikeSite.create(dir);
        CachePolicy policy = new CachePolicy("max-age=60", "max-age=999", "max-age=5", Pattern.compile(".*/logo\\.png"));
        try (RunningServer server = RunningServer.start(SiteConfig.defaults(site.root()).withAccessLog("off")
                .withCachePolicy(policy))) {
            server.request().get("/").then().header("Cache-Control", equalTo("max-age=60"));
            server.request().get("/images/logo.png").then().header("Cache-Control", equalTo("max-age=999"));
            server.request().get("/css/" + site.cssName).then().header("Cache-Control", equalTo("max-age=5"));
        }
    }
}
