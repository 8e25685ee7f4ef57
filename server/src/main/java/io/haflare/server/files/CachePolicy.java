package io.haflare.server.files;

import java.util.regex.Pattern;

/**
 * Cache-Control by kind of file: HTML revalidates (a deploy is visible at once), fingerprinted assets are
 * immutable for a year (their name changes when they do), everything else caches for an hour.
 */
public record CachePolicy(String html, String immutable, String other, Pattern fingerprinted) {
    /**
     * By generator, from their documented or observed output:
     * <ul>
     * <li>a hex hash of 8 to 64 digits after "." or "-", before the extension, a ".min" or ".chunk" (Hugo's
     * "main.min.&lt;64 hex&gt;.css", webpack, Parcel, Docusaurus, Create React App's "787.28cb0dcd.chunk.js",
     * MkDocs Material's "bundle.5a2dcb6a.min.js"), and its ".map". Under 16 digits it must hold a letter: a run
     * of 8 to 15 decimal digits is a date or a number ("report-20240115.pdf"), a file its owner may replace;
     * <li>under Astro's, Vite's and VitePress's asset directories, Vite's 8-character base64url hash after "-"
     * or "." ("index-DiwrgTda.js", Astro 3+'s "index.DRf8L97S.js", VitePress's "page.md.Bk9h3x2Q.lean.js"),
     * with an uppercase letter or a digit in it so that a word ("my-headline.png") is not taken for one, and
     * Astro's optimized images' second hash ("cat.Bx0Fo7r4_Z2e4W2u.webp");
     * <li>Angular's (esbuild's) "main-", "chunk-", "polyfills-", "styles-" ... with an 8-character base32 hash;
     * <li>Hugo's processed images, "cat_hu&lt;32 hex of the source&gt;_&lt;its size&gt;_&lt;the steps&gt;.png";
     * <li>directories content-addressed as a whole (a build id or a hash in every path): Next.js's
     * /_next/static/, SvelteKit's /_app/immutable/, Gatsby's /static/&lt;32 hex&gt;/, and Nuxt's /_nuxt/
     * but for /_nuxt/builds/ (its latest.json changes at each build; builds/meta/ does not), as Nuxt's own
     * server caches them.
     * </ul>
     */
    public static final String DEFAULT_FINGERPRINT =
            "^.*[.-](?=[0-9a-f]{0,15}[a-f]|[0-9a-f]{16})[0-9a-f]{8,64}(\\.min|\\.chunk)?\\.[A-Za-z0-9]+(\\.map)?$"
            + "|^/(_astro|assets)/.*[.-](?=[A-Za-z0-9_-]{0,7}[A-Z0-9])[A-Za-z0-9_-]{8}"
            + "(_[A-Za-z0-9_-]+)?(\\.lean)?\\.[A-Za-z0-9]+$"
            + "|^(/.*)?/(main|polyfills|styles|scripts|chunk|worker)-[A-Z2-7]{8}\\.(js|mjs|css)$"
            + "|^.*_hu[0-9a-f]{32}_[0-9]+_[^/]*$"
            + "|^/(_next/static|_app/immutable|static/[0-9a-f]{32})/.+$"
            + "|^/_nuxt/(?!builds/).+$|^/_nuxt/builds/meta/.+$";

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
