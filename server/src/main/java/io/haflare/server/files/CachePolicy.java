package io.haflare.server.files;

import java.util.regex.Pattern;

/**
 * Cache-Control by kind of file: HTML revalidates (a deploy is visible at once), fingerprinted assets are
 * immutable for a year (their name changes when they do), everything else caches for an hour.
 */
public record CachePolicy(String html, String immutable, String other, Pattern fingerprinted) {
    /** Hugo's ".{32,64 hex}." and Vite/Astro's "-{8 chars}." fingerprints (the latter only under their asset dirs). */
    public static final String DEFAULT_FINGERPRINT =
            "^.*[.-][0-9a-f]{8,64}\\.[A-Za-z0-9]+$|^/(_astro|assets|_app/immutable)/.*-[A-Za-z0-9_-]{8}\\.[A-Za-z0-9]+$";

    public static CachePolicy defaults() {
        return new CachePolicy("no-cache", "public, max-age=31536000, immutable", "public, max-age=3600",
                Pattern.compile(DEFAULT_FINGERPRINT));
    }

    /** A name that changes whenever the content does (main.min.<hash>.css): its content never changes. */
    public boolean isFingerprinted(String sitePath) {
        return fingerprinted.matcher(sitePath).matches();
    }

    public String forFile(String sitePath, String contentType) {
        if (contentType.startsWith("text/html")) {
            return html;
        }
        if (isFingerprinted(sitePath)) {
            return immutable;
        }
        return other;
    }
}
