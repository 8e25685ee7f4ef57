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
