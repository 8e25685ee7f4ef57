package io.haflare.server.net;

import java.nio.ByteBuffer;

/**
 * Rewrites a '%' that does not start a %XX escape in a request line's query as "%25", so that "/?off=100%" or
 * an old JavaScript escape() ("?q=%u00e9") is served, as nginx and Caddy serve it: Undertow refuses such a query
 * with 400 and has no option to let it through. The path is left alone (nginx refuses a bad escape there too),
 * and so is a request line that did not arrive whole in one read (it then gets Undertow's 400, as before).
 * Pure: works on the bytes of a buffer, in place.
 */
final class QueryPercentRepair {
    private QueryPercentRepair() {
    }

    /**
     * Repairs the request line at the start of bytes[from, end), moving what follows it right by two bytes
     * per '%' repaired, up to limit. Returns the new end: end itself when nothing needed repair, or when the
     * line is not whole here or there is no room.
     */
    static int repair(ByteBuffer bytes, int from, int end, int limit) {
        int query = queryStart(bytes, from, end);
        if (query < 0) {
            return end; // no query, or the request line goes on past this read
        }
        int bad = 0;
        int targetEnd = -1;
        for (int i = query; i < end; i++) {
            byte b = bytes.get(i);
            if (b == ' ' || b == '\r' || b == '\n') {
                targetEnd = i;
                break;
            }
            if (b == '%' && !escapeAt(bytes, i, end)) {
                bad++;
            }
        }
        if (bad == 0 || targetEnd < 0 || end + 2 * bad > limit) {
            return end;
        }
        // from the back, so that each byte moves once: the tail by 2 * bad, then each bad '%' as "%25"
        int shift = 2 * bad;
        for (int i = end - 1; i >= targetEnd; i--) {
            bytes.put(i + shift, bytes.get(i));
        }
        for (int i = targetEnd - 1; i >= query; i--) {
            byte b = bytes.get(i);
            if (b == '%' && !escapeAt(bytes, i, targetEnd)) {
                shift -= 2;
                bytes.put(i + shift, (byte) '%').put(i + shift + 1, (byte) '2').put(i + shift + 2, (byte) '5');
            } else {
                bytes.put(i + shift, b);
            }
        }
        return end + 2 * bad;
    }

    /** Just past the target's '?', or -1 when the target has no query or ends past end. */
    private static int queryStart(ByteBuffer bytes, int from, int end) {
        int i = from;
        while (i < end && bytes.get(i) != ' ') { // the method
            if (bytes.get(i) == '\n') {
                return -1;
            }
            i++;
        }
        for (i++; i < end; i++) {
            byte b = bytes.get(i);
            if (b == '?') {
                return i + 1;
            }
            if (b == ' ' || b == '\r' || b == '\n') {
                return -1;
            }
        }
        return -1;
    }

    /** True when '%' at i is followed by two hex digits before end. */
    private static boolean escapeAt(ByteBuffer bytes, int i, int end) {
        return i + 2 < end && isHex(bytes.get(i + 1)) && isHex(bytes.get(i + 2));
    }

    private static boolean isHex(byte b) {
        return b >= '0' && b <= '9' || b >= 'a' && b <= 'f' || b >= 'A' && b <= 'F';
    }
}
