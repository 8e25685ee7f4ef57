package io.haflare.server;

import io.haflare.server.files.CachePolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

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
            "/_next/static/chunks/pages/index-4a5c6b7d8e9f0a1b.js", "/_next/static/Xa3kP0qLzR8vN2bT1mC4d/_buildManifest.js",
            "/assets/javascripts/bundle.5a2dcb6a.min.js", "/assets/stylesheets/main.6f8fc17f.min.css", // MkDocs Material
            "/static/js/787.28cb0dcd.chunk.js", "/static/js/main.8f3a2c1b.js", "/static/js/main.8f3a2c1b.js.map", // CRA
            "/assets/js/runtime~main.a1b2c3d4.js", // Docusaurus
            "/assets/guide_index.md.Bk9h3x2Q.lean.js", "/assets/chunks/theme.BnXq1xPr.js", // VitePress
            "/main-ABCD2345.js", "/chunk-5INURTSO.js", "/styles-XYZ23456.css", // Angular 17+ (esbuild)
            "/img/cat_hu9aff71fca05490120a6dccdafeadf6e2_102_20x0_resize_box_3.png", // Hugo's processed images
            "/static/d2f0b8a6f9c4e3e8a6d2b1c0f9e8d7c6/logo.png", "/app-4f3c2a1b9e8d7c6b5a4f.js", // Gatsby
            "/_nuxt/entry.BkL3mXr4.js", "/_nuxt/DlAUqK2U.js", "/_nuxt/builds/meta/0b1e7d5c.json", // Nuxt
            "/media/episode-1234567890123456.mp3"}) { // 16 digits: a hash
            org.assertj.core.api.Assertions.assertThat(policy.isFingerprinted(fingerprinted)).as(fingerprinted).isTrue();
        }
        for (String plain : new String[] {"/js/app.js", "/assets/my-headline.png", "/assets/site.manifest.json",
            "/_astro/readme.md", "/images/logo.png", "/posts/some-article/", "/_next/image", "/_app/version.json",
            "/files/report-20240115.pdf", "/podcast/episode-20241231.mp3", "/img/IMG-1700000000.jpg", // dates, numbers
            "/js/jquery.min.js", "/static/js/app.chunk.js", "/static/logo.png", "/chunk-abc.js", "/main-VERSION.js",
            "/_nuxt/builds/latest.json", "/img/cat_hu.png"}) {
            org.assertj.core.api.Assertions.assertThat(policy.isFingerprinted(plain)).as(plain).isFalse();
        }
    }

    /** The Cache-Control of the home page, a stylesheet and the logo (the only name the policy's pattern takes). */
    private List<String> cacheControls(String html, String immutable, String other) {
        HugoLikeSite site = HugoLikeSite.create(dir);
        CachePolicy policy = new CachePolicy(html, immutable, other, Pattern.compile(".*/logo\\.png"));
        try (RunningServer server = RunningServer.start(SiteConfig.defaults(site.root()).withAccessLog("off")
                .withCachePolicy(policy))) {
            return Stream.of("/", "/css/" + site.cssName, "/images/logo.png")
                    .map(path -> server.request().get(path).then().statusCode(200).extract().header("Cache-Control"))
                    .toList();
        }
    }

    @Test
    void everyPolicyIsConfigurable() {
        org.assertj.core.api.Assertions.assertThat(cacheControls("max-age=60", "max-age=999", "max-age=5"))
                .containsExactly("max-age=60", "max-age=5", "max-age=999");
    }

    @Test
    void anEmptyPolicySendsNoCacheControl() {
        org.assertj.core.api.Assertions.assertThat(cacheControls("", "max-age=999", ""))
                .containsExactly(null, null, "max-age=999");
    }
}
