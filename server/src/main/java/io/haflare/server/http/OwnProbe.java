package io.haflare.server.http;

import io.undertow.server.HttpHandler;
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

    /** Sends the probe's requests to {@code probe} (served, not logged or counted), every other to {@code visitor}. */
    public HttpHandler route(HttpHandler probe, HttpHandler visitor) {
        return exchange -> {
            String sent = exchange.getRequestHeaders().getFirst(HEADER_NAME);
            if (sent != null && MessageDigest.isEqual(token, sent.getBytes(StandardCharsets.US_ASCII))) {
                probe.handleRequest(exchange);
            } else {
                visitor.handleRequest(exchange);
            }
        };
    }
}
