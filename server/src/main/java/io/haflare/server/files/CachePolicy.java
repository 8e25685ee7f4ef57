package io.haflare.server.files;

import java.util.regex.Pattern;

/**
 * Cache-Control by kind of file: HTML revalidates (a deploy is visible at once), fingerprinted assets are
 * immutable for a year (their name changes when they do), everything else caches for an hour.
 */
public record CachePolicy(String html, String immutable, String other, Pattern fingerprinted) {
    /**
     * Hugo's ".{8-64 hex}." anywhere; under Astro's, Vite's and SvelteKit's asset directories, Vite's 8-character
     * base64url hash after "-" or "." ("index-DiwrgTda.js", Astro 3+'s "index.DRf8L97S.js"), with an uppercase
     * letter or a digit in it so that a word ("my-headline.png") is not taken for one, and Astro's optimized
     * images' second hash ("cat.Bx0Fo7r4_Z2e4W2u.webp"). Next.js's /_next/static/ and SvelteKit's
     * /_app/immutable/ are content-addressed as a whole (a build id or a hash in every path), whatever the name.
     */
    public static final String DEFAULT_FINGERPRINT = "^.*[.-][0-9a-f]{8,64}\\.[A-Za-z0-9]+$"
            + "|^/(_astro|assets)/.*[.-](?=[A-Za-z0-9_-]{0,7}[A-Z0-9])[A-Za-z0-9_-]{8}"
            + "(_[A-Za-z0-9_-]+)?\\.[A-Za-z0-9]+$"
            + "|^/(_next/static|_app/immutable)/.+$";

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
