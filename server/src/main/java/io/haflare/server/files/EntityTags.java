package io.haflare.server.files;

/** Entity-tag lists as in If-Match / If-None-Match: comparison functions of RFC 9110 §8.8.3.2. */
public final class EntityTags {
    private EntityTags() {
    }

    /** nginx's form: quoted hex of the modification time and the size. */
    public static String of(long lastModifiedMillis, long size) {
        return "\"" + Long.toHexString(lastModifiedMillis / 1000) + "-" + Long.toHexString(size) + "\"";
    }

    /** The same tag with a suffix inside the quotes, for a derived representation (a gzip of the file). */
    public static String derived(String etag, String suffix) {
        return etag.substring(0, etag.length() - 1) + "-" + suffix + "\"";
    }

    public static boolean matchesStrong(String header, String etag) {
        return matches(header, etag, false);
    }

    public static boolean matchesWeak(String header, String etag) {
        return matches(header, etag, true);
    }

    private static boolean matches(String header, String etag, boolean weak) {
        String trimmed = header.strip();
        if (trimmed.equals("*")) {
            return true;
        }
        if (etag == null || etag.startsWith("W/") && !weak) {
            return false;
        }
        String opaque = opaque(etag);
        for (String candidate : trimmed.split(",")) {
            String tag = candidate.strip();
            if (tag.startsWith("W/")) {
                if (!weak) {
                    continue;
                }
                tag = tag.substring(2);
            }
            if (tag.equals(opaque)) {
                return true;
            }
        }
        return false;
    }

    private static String opaque(String etag) {
        return etag.startsWith("W/") ? etag.substring(2) : etag;
    }
}
