package io.haflare.server.path;

import io.undertow.server.HttpServerExchange;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns the raw (still percent-encoded) request path into a safe site path, or refuses it.
 * Pure: no file system access. Decodes exactly once, so "%252e%252e" stays the literal name "%2e%2e".
 */
public final class RequestPath {

    /** What became of a raw path: a safe decoded path, a 400 (malformed or hostile), or a 404 (hidden). */
    public sealed interface Result permits Safe, Rejected, Hidden {}

    /** A decoded path that starts with "/", has no dot segments, no empty segments and no hostile bytes. */
    public record Safe(String path) implements Result {}

    /** The request can never be valid: answer 400 with this reason. */
    public record Rejected(String reason) implements Result {}

    /** A dotfile or dot-directory other than /.well-known/: answer 404 as if it did not exist. */
    public record Hidden(String path) implements Result {}

    private static final String WELL_KNOWN = ".well-known";

    private RequestPath() {
    }

    /**
     * The path exactly as the client sent it, from Undertow's undecoded request path and request URI. Undertow
     * ends a path at its first ";" (servlet path parameters, "/a;jsessionid=1") and keeps the rest only in the
     * URI, which also starts with "scheme://host" when the request line was in absolute form (hostIncluded).
     * A static server must keep it: ";" is an ordinary character in a path, and "/a;b.txt" served the file
     * "a" where nginx serves "a;b.txt".
     */
    public static String asSent(HttpServerExchange exchange) {
        return asSent(exchange.getRequestPath(), exchange.getRequestURI(), exchange.isHostIncludedInRequestURI());
    }

    static String asSent(String path, String uri, boolean hostIncluded) {
        if (uri.equals(path)) {
            return path; // no ";" and no host: the common case, the same String
        }
        if (!hostIncluded) {
            return uri;
        }
        int scheme = uri.indexOf("://");
        int start = scheme < 0 ? -1 : uri.indexOf('/', scheme + 3);
        return start < 0 ? path : uri.substring(start);
    }

    public static Result parse(String raw) {
        if (raw.isEmpty() || raw.charAt(0) != '/') {
            return new Rejected("path must start with /");
        }
        if (isPlain(raw)) {
            return new Safe(raw);
        }
        if (raw.indexOf('\\') >= 0) {
            return new Rejected("backslash in path");
        }
        String decoded;
        try {
            decoded = decode(raw);
        } catch (IllegalArgumentException e) {
            return new Rejected(e.getMessage());
        }
        StringBuilder normalized = new StringBuilder(decoded.length());
        boolean hidden = false;
        int start = 1;
        int segmentIndex = 0;
        while (start <= decoded.length()) {
            int end = decoded.indexOf('/', start);
            if (end < 0) {
                end = decoded.length();
            }
            if (end > start) { // empty segments ("//") merge, as nginx's merge_slashes does
                String segment = decoded.substring(start, end);
                if (segment.equals(".") || segment.equals("..")) {
                    return new Rejected("dot segment in path");
                }
                if (segment.charAt(0) == '.' && !(segmentIndex == 0 && segment.equals(WELL_KNOWN))) {
                    hidden = true;
                }
                normalized.append('/').append(segment);
                segmentIndex++;
            }
            start = end + 1;
        }
        if (normalized.length() == 0 || decoded.endsWith("/")) {
            normalized.append('/');
        }
        String path = normalized.toString();
        return hidden ? new Hidden(path) : new Safe(path);
    }

    /** The common case: only unreserved characters and single slashes, no segment starting with a dot. */
    private static boolean isPlain(String raw) {
        char previous = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '_' || c == '~' || (c == '.' && previous != '/') || (c == '/' && previous != '/');
            if (!ok) {
                return false;
            }
            previous = c;
        }
        return true;
    }

    /** Percent-decodes as strict UTF-8; refuses encoded separators, control bytes and malformed or overlong sequences. */
    static String decode(String raw) {
        if (raw.indexOf('%') < 0 && isAscii(raw)) {
            checkCharacters(raw, false);
            return raw;
        }
        ByteBuffer bytes = ByteBuffer.allocate(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw new IllegalArgumentException("truncated percent-encoding");
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("invalid percent-encoding");
                }
                int b = (hi << 4) | lo;
                if (b == '/') {
                    throw new IllegalArgumentException("encoded slash in path");
                }
                bytes.put((byte) b);
                i += 2;
            } else if (c > 0xff) {
                throw new IllegalArgumentException("unencoded non-ASCII character in path");
            } else { // a byte as sent, one char each: raw UTF-8, as curl sends it, decodes as if percent-encoded
                bytes.put((byte) c);
            }
        }
        bytes.flip();
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        String decoded;
        try {
            CharBuffer chars = decoder.decode(bytes);
            decoded = chars.toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("path is not valid UTF-8");
        }
        checkCharacters(decoded, true);
        return decoded;
    }

    /** A byte below 0x20 or DEL: in a request line, nothing a client means to send. */
    public static boolean hasControlCharacter(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static void checkCharacters(String path, boolean decoded) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("control character in path");
            }
            if (c > 0x7f && !decoded) {
                throw new IllegalArgumentException("unencoded non-ASCII character in path");
            }
            if (c == '\\') {
                throw new IllegalArgumentException("backslash in path");
            }
        }
    }
}
