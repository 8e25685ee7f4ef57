package io.haflare.server.path;

import java.nio.charset.StandardCharsets;

/** Percent-encodes a decoded site path for a Location header: RFC 3986 path characters stay, the rest is %XX. */
public final class PathEncoding {
    private static final String HEX = "0123456789ABCDEF";
    private static final String ALLOWED = "-._~!$&'()*+,;=:@/";

    private PathEncoding() {
    }

    public static String encode(String path) {
        StringBuilder out = null;
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            boolean plain = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
                    || (b < 0x80 && ALLOWED.indexOf(b) >= 0);
            if (plain && out == null) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(bytes.length + 16);
                out.append(new String(bytes, 0, i, StandardCharsets.US_ASCII));
            }
            if (plain) {
                out.append((char) b);
            } else {
                out.append('%').append(HEX.charAt(b >> 4)).append(HEX.charAt(b & 0xf));
            }
        }
        return out == null ? path : out.toString();
    }
}
