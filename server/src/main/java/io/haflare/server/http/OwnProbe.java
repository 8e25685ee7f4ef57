package io.haflare.server.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Tells the node's own health probe from visitors, so that a probe a second does not fill the access log
 * and the request metrics of a quiet site (as HAProxy keeps its checks out of its traffic log; the probe's
 * results are in /health, /status and their own metrics). The probe sends a header whose value is drawn at
 * random when the server starts and never written anywhere, so a visitor cannot hide from the log by
 * sending it: a request without the exact value is a visitor's, logged and counted.
 */
public final class OwnProbe {
    /** The header the probe sends; its value is {@link #token()}. */
    public static final String HEADER = "X-Haflare-Probe";
    private static final HttpString HEADER_NAME = new HttpString(HEADER);

    private final byte[] token;

    public OwnProbe() {
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        this.token = HexFormat.of().formatHex(random).getBytes(StandardCharsets.US_ASCII);
    }

    public String token() {
        return new String(token, StandardCharsets.US_ASCII);
    }

    /** Whether the request is a visitor's, to log and count: anything but the probe's, with the exact value. */
    public boolean isVisitor(HttpServerExchange exchange) {
        String sent = exchange.getRequestHeaders().getFirst(HEADER_NAME);
        return sent == null || !MessageDigest.isEqual(token, sent.getBytes(StandardCharsets.US_ASCII));
    }
}
