package io.haflare.server.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.Protocols;

/**
 * Lets through only what a static site answers: HTTP/1.x, GET or HEAD, and a body whose length can be known.
 * <ul>
 * <li>Another major version is 505. Undertow answers "HTTP/2.0" with 400 itself and reads 3.0 to 9.9 as 1.1;
 * what reaches here is "HTTP/0.9", which it would answer as 1.x, headers and all, under a 0.9 status line.</li>
 * <li>Another method is 405 with Allow.</li>
 * <li>A "close" among several Connection options ends the connection after the answer.</li>
 * <li>A body whose length cannot be known is 400 and the connection closed, as RFC 9112 (6.1, 6.3) requires:
 * a Transfer-Encoding that does not end with chunked, which Undertow would read until the client closes,
 * answering nothing more; or any Transfer-Encoding in HTTP/1.0, which has none, so a 1.0 proxy in front may
 * have framed the request otherwise than Undertow's chunked reading would.</li>
 * </ul>
 */
public final class SupportedRequestHandler implements HttpHandler {
    /** The version a request refused with 505 named, for the access log: its answer names another. */
    private static final AttachmentKey<HttpString> VERSION_SENT = AttachmentKey.create(HttpString.class);

    private final HttpHandler next;

    public SupportedRequestHandler(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        HttpString protocol = exchange.getProtocol();
        if (protocol != Protocols.HTTP_1_1 && !protocol.equals(Protocols.HTTP_1_0)) {
            exchange.putAttachment(VERSION_SENT, protocol);
            exchange.setProtocol(Protocols.HTTP_1_1); // the status line names the version the node speaks
            refuse(exchange, 505, "505 HTTP Version Not Supported: send HTTP/1.1 or HTTP/1.0");
            return;
        }
        if (!exchange.isRequestComplete()) {
            String problem = unknownBodyLength(exchange, protocol);
            if (problem != null) {
                refuse(exchange, 400, "400 Bad Request: " + problem);
                return;
            }
        }
        if (exchange.isPersistent() && closeRequested(exchange)) {
            exchange.setPersistent(false);
        }
        HttpString method = exchange.getRequestMethod();
        if (ExactMethod.is(method, Methods.GET) || ExactMethod.is(method, Methods.HEAD)) {
            next.handleRequest(exchange);
            return;
        }
        exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
        PlainResponses.send(exchange, 405, "405 Method Not Allowed");
    }

    /** The version the request line named, as the access log shows it: the exchange's, unless refused with 505. */
    public static String versionSent(HttpServerExchange exchange) {
        HttpString sent = exchange.getStatusCode() == 505 ? exchange.getAttachment(VERSION_SENT) : null;
        return (sent != null ? sent : exchange.getProtocol()).toString();
    }

    /**
     * A "close" among the request's Connection options, which RFC 9112 (9.6) says ends the connection after the
     * answer. Undertow heeds a header that is "close" alone, not "TE, close" (libwww-perl's) or a second line.
     */
    private static boolean closeRequested(HttpServerExchange exchange) {
        HeaderValues values = exchange.getRequestHeaders().get(Headers.CONNECTION);
        if (values == null) {
            return false;
        }
        for (String value : values) {
            for (String option : value.split(",")) {
                if (option.strip().equalsIgnoreCase("close")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Why the request body's length cannot be known, or null when it can. */
    private static String unknownBodyLength(HttpServerExchange exchange, HttpString protocol) {
        String codings = exchange.getRequestHeaders().getLast(Headers.TRANSFER_ENCODING);
        if (codings == null) {
            return null; // Content-Length (Undertow refuses both at once)
        }
        if (protocol.equals(Protocols.HTTP_1_0)) {
            return "Transfer-Encoding is not HTTP/1.0";
        }
        int comma = codings.lastIndexOf(',');
        return codings.substring(comma + 1).trim().equalsIgnoreCase("chunked")
                ? null : "Transfer-Encoding must end with chunked";
    }

    private static void refuse(HttpServerExchange exchange, int status, String text) {
        exchange.setPersistent(false);
        PlainResponses.send(exchange, status, text);
    }
}
