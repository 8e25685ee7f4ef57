package io.haflare.server.files;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Picks the representation to send from an Accept-Encoding header, honouring q-values (RFC 9110 §12.5.3). */
public final class AcceptEncoding {
    /** The last header parsed: browsers and wrk send the same few values, so parsing once is enough. */
    private record Parsed(String header, Map<Encoding, Double> q) {}

    private static volatile Parsed lastParsed;
    /** Encoding.values() clones its array on every call; this path runs once per request. */
    private static final Encoding[] PREFERENCE = Encoding.values();

    private AcceptEncoding() {
    }

    /**
     * The best of the available encodings, or null when none is acceptable (not even identity).
     * Ties go to the server's preference order: br, zstd, gzip, identity.
     */
    public static Encoding choose(String header, Set<Encoding> available) {
        if (header == null) {
            return available.contains(Encoding.IDENTITY) ? Encoding.IDENTITY : null;
        }
        Parsed last = lastParsed;
        if (last == null || !last.header().equals(header)) {
            last = new Parsed(header, parse(header));
            lastParsed = last;
        }
        Map<Encoding, Double> q = last.q();
        Encoding best = null;
        double bestQ = 0;
        for (Encoding encoding : PREFERENCE) {
            if (!available.contains(encoding)) {
                continue;
            }
            double value = q.get(encoding);
            if (value > bestQ) {
                best = encoding;
                bestQ = value;
            }
        }
        return best;
    }

    static Map<Encoding, Double> parse(String header) {
        Map<Encoding, Double> explicit = new EnumMap<>(Encoding.class);
        double star = -1;
        for (String element : header.split(",")) {
            String[] parts = element.split(";");
            String coding = parts[0].strip().toLowerCase(Locale.ROOT);
            if (coding.isEmpty()) {
                continue;
            }
            double q = 1.0;
            for (int i = 1; i < parts.length; i++) {
                String param = parts[i].strip();
                if (param.length() > 2 && (param.charAt(0) == 'q' || param.charAt(0) == 'Q') && param.charAt(1) == '=') {
                    q = parseQ(param.substring(2));
                }
            }
            if (coding.equals("*")) {
                star = q;
            } else {
                Encoding encoding = byToken(coding);
                if (encoding != null) {
                    explicit.put(encoding, q);
                }
            }
        }
        Map<Encoding, Double> result = new EnumMap<>(Encoding.class); // never mutated after this method
        for (Encoding encoding : Encoding.values()) {
            Double value = explicit.get(encoding);
            if (value == null) {
                // identity is acceptable unless excluded by "identity;q=0" or "*;q=0"
                value = star >= 0 ? star : (encoding == Encoding.IDENTITY ? 0.001 : 0.0);
            }
            result.put(encoding, value);
        }
        return result;
    }

    private static Encoding byToken(String token) {
        if (token.equals("x-gzip")) {
            return Encoding.GZIP;
        }
        for (Encoding encoding : Encoding.values()) {
            if (encoding.token().equals(token)) {
                return encoding;
            }
        }
        return null;
    }

    private static double parseQ(String value) {
        try {
            double q = Double.parseDouble(value.strip());
            return q < 0 ? 0 : Math.min(q, 1);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
