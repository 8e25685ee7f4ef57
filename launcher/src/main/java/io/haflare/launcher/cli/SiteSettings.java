package io.haflare.launcher.cli;

import io.haflare.launcher.config.ConfigException;
import io.haflare.launcher.config.NodeConfig;
import io.haflare.server.SiteConfig;
import io.haflare.server.files.CachePolicy;

import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Turns the node's site section into the server's SiteConfig, checking what the server cannot. */
final class SiteSettings {
    private SiteSettings() {
    }

    static SiteConfig toSiteConfig(NodeConfig.Site site, Path root) {
        ListenAddress address = ListenAddress.parse(site.listen(), "site.listen / --listen");
        NodeConfig.Cache cache = site.cache();
        Pattern fingerprint;
        try {
            fingerprint = Pattern.compile(cache.fingerprintPattern() == null || cache.fingerprintPattern().isBlank()
                    ? CachePolicy.DEFAULT_FINGERPRINT : cache.fingerprintPattern());
        } catch (PatternSyntaxException e) {
            throw new ConfigException("site.cache.fingerprintPattern is not a valid regular expression: "
                    + e.getDescription());
        }
        return SiteConfig.defaults(root)
                .withListen(address.host(), address.port())
                .withAccessLog(site.accessLog())
                .withGzipOnTheFly(site.gzip())
                .withCachePolicy(new CachePolicy(cache.html(), cache.immutable(), cache.other(), fingerprint));
    }
}
