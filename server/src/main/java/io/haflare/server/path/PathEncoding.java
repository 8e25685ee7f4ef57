package io.haflare.server.path;

import java.nio.charset.StandardCharsets;

/**
 * Percent-encodes text for a URL (a Location header, a _redirects target), by where it lands: a decoded site
 * path, a decoded value inside a query or fragment, or URL text someone wrote (already encoded where they
 * meant it, so its '%' stays). Each keeps its context's plain characters and writes every other byte as %XX.
 */
public final class PathEncoding {
    private static final String HEX = "0123456789ABCDEF";
    private static final String UNRESERVED = "-._~";
    /** RFC 3986 pchar and "/": a path keeps its structure, and "?" or "#" in a file name cannot end it. */
    private static final boolean[] PATH = plain(UNRESERVED + "!$&'()*+,;=:@/");
    /** A value in a query or fragment: "&", "=", "+" and "#" would change what it says. */
    private static final boolean[] QUERY_VALUE = plain(UNRESERVED + "!$'()*,;:@/?");
    /** Written URL text: printable ASCII but the characters a URL never holds raw (RFC 3986, 2). */
    private static final boolean[] URL_TEXT = printableAsciiBut("\"<>\\^`{|}");

    private PathEncoding() {
    }

    /** A decoded site path for a Location header. */
    public static String encode(String path) {
        return encode(path, PATH);
    }

    /** A decoded value placed in a query string or a fragment. */
    public static String encodeQueryValue(String value) {
        return encode(value, QUERY_VALUE);
    }

    /** URL text as written: spaces, non-ASCII and the like encoded, everything else (a '%XX' too) kept. */
    public static String encodeUrlText(String text) {
        return encode(text, URL_TEXT);
    }

    /**
     * A query as the client sent it, for a Location: Undertow keeps its bytes one char each (a raw "é" is the two
     * chars of its UTF-8 bytes), and passes the characters a URL never holds raw ({@code {|}^`"<>\}), which browsers
     * send in queries. Those and any byte outside printable ASCII become %XX of the byte; the rest, '%' too, stays.
     */
    public static String encodeRawQuery(String query) {
        return encode(query, query.getBytes(StandardCharsets.ISO_8859_1), URL_TEXT);
    }

    private static String encode(String text, boolean[] plainAscii) {
        return encode(text, text.getBytes(StandardCharsets.UTF_8), plainAscii);
    }

    /** text's bytes with those that are not plain here as %XX; text itself when all of them are. */
    private static String encode(String text, byte[] bytes, boolean[] plainAscii) {
        StringBuilder out = null;
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            boolean plain = b < 0x80 && plainAscii[b];
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
        return out == null ? text : out.toString();
    }

    private static boolean[] plain(String punctuation) {
        boolean[] table = new boolean[0x80];
        for (int c = 0; c < 0x80; c++) {
            table[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || punctuation.indexOf(c) >= 0;
        }
        return table;
    }

    private static boolean[] printableAsciiBut(String excluded) {
        boolean[] table = new boolean[0x80];
        for (int c = 0x21; c < 0x7f; c++) {
            table[c] = excluded.indexOf(c) < 0;
        }
        return table;
    }
}
