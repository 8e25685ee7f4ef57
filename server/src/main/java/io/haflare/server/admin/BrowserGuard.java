package io.haflare.server.admin;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Keeps web pages out of the admin API, which a browser on the node's machine can reach: a page elsewhere can
 * make it POST a form to 127.0.0.1 (drain the node, which outlives a restart), or read /status through a name
 * of its own that DNS points at 127.0.0.1 (rebinding). Command-line clients send neither an Origin nor a
 * foreign Host, so they are unaffected. As Syncthing and Docker's API guard theirs.
 */
final class BrowserGuard {
    private static final Pattern LOOPBACK_V4 = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

    private BrowserGuard() {
    }

    /**
     * The Host header names this machine's loopback (127.x.x.x, [::1], localhost) or the name the listener was
     * given (which the node only accepts without a token when it resolves to loopback), any port; absent counts.
     */
    static boolean isLoopbackHost(String host, String listenName) {
        if (host == null) {
            return true; // HTTP/1.0 without Host: not a browser
        }
        String name = host.strip().toLowerCase(Locale.ROOT);
        if (name.startsWith("[")) {
            int end = name.indexOf(']');
            return end > 0 && name.substring(0, end + 1).equals("[::1]");
        }
        int colon = name.indexOf(':');
        if (colon >= 0) {
            name = name.substring(0, colon);
        }
        return name.equals("localhost") || LOOPBACK_V4.matcher(name).matches()
                || name.equalsIgnoreCase(listenName);
    }

    /** The names isLoopbackHost answers to, for a refusal's message: the listener's own only when it adds one. */
    static String loopbackNames(String listenName) {
        boolean own = listenName != null && !isLoopbackHost(listenName, null) && !listenName.equals("::1");
        return "127.0.0.1, [::1]" + (own ? ", localhost or " + listenName : " or localhost");
    }

    /**
     * A request a browser sent on behalf of another site: Sec-Fetch-Site says so, or, from a browser without
     * it, an Origin other than the admin page's own ("null" from a sandboxed page included).
     */
    static boolean isCrossSite(String secFetchSite, String origin, String host) {
        if (secFetchSite != null) {
            return !secFetchSite.equals("same-origin") && !secFetchSite.equals("none");
        }
        return origin != null && (host == null || !origin.equalsIgnoreCase("http://" + host.strip()));
    }
}
