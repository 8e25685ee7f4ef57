package io.haflare.server.files;

/**
 * A single byte range from a Range header (RFC 9110 §14.2), resolved against a length.
 * Multiple ranges and syntax errors are ignored (a 200 with the whole body is a valid answer to both).
 */
public record ByteRange(long start, long end) {
    /** The whole representation: no usable Range header. */
    public static final ByteRange FULL = new ByteRange(-1, -1);
    /** No satisfiable range: answer 416. */
    public static final ByteRange UNSATISFIABLE = new ByteRange(-2, -2);

    public long length() {
        return end - start + 1;
    }

    public boolean isPartial() {
        return start >= 0;
    }

    public static ByteRange parse(String header, long size) {
        if (header == null || !header.regionMatches(true, 0, "bytes=", 0, 6) || header.indexOf(',') >= 0) {
            return FULL;
        }
        String spec = header.substring(6).strip();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return FULL;
        }
        try {
            String first = spec.substring(0, dash).strip();
            String last = spec.substring(dash + 1).strip();
            if (first.isEmpty()) { // suffix range: the last N bytes
                long suffix = parseDigits(last);
                if (suffix == 0 || size == 0) {
                    return UNSATISFIABLE;
                }
                return new ByteRange(Math.max(0, size - suffix), size - 1);
            }
            long start = parseDigits(first);
            long end = last.isEmpty() ? Long.MAX_VALUE : parseDigits(last);
            if (end < start) {
                return FULL; // invalid spec: ignore the header
            }
            if (start >= size) {
                return UNSATISFIABLE;
            }
            return new ByteRange(start, Math.min(end, size - 1));
        } catch (NumberFormatException e) {
            return FULL;
        }
    }

    private static long parseDigits(String s) {
        if (s.isEmpty() || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new NumberFormatException(s);
        }
        return s.length() > 18 ? Long.MAX_VALUE : Long.parseLong(s);
    }
}
