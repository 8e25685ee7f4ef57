package io.haflare.server.log;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * One line in nginx's combined format plus the Cf-Ray id. The visitor is CF-Connecting-IP when the peer is
 * loopback (the local cloudflared), else the peer itself: a remote client cannot forge its address.
 * Pure: every value is escaped so a request cannot inject lines or quotes into the log.
 */
public final class AccessLogLine {
    /** The last peer formatted: behind cloudflared nearly every request comes from the same address. */
    private record Peer(InetAddress address, String text) {}

    private static volatile Peer lastPeer = new Peer(null, "-");

    private AccessLogLine() {
    }

    public static String format(InetSocketAddress peer, String cfConnectingIp, String timeLocal, String method,
                                String uri, String protocol, int status, long bytes, String referer,
                                String userAgent, String cfRay) {
        AsciiLine line = new AsciiLine();
        formatInto(line, peer, cfConnectingIp, timeLocal, method, uri, protocol, status, bytes, referer, userAgent, cfRay);
        return line.toString();
    }

    /** The same line appended to a caller's line, so a hot path can reuse one. */
    static void formatInto(AsciiLine line, InetSocketAddress peer, String cfConnectingIp, String timeLocal,
                           String method, String uri, String protocol, int status, long bytes, String referer,
                           String userAgent, String cfRay) {
        line.append(visitor(peer, cfConnectingIp)).append(" - - [").append(timeLocal).append("] \"");
        line.appendEscaped(method).append(' ');
        line.appendEscaped(uri).append(' ');
        line.appendEscaped(protocol).append("\" ").append(status).append(' ').append(Math.max(bytes, 0)).append(" \"");
        line.appendEscaped(referer == null ? "-" : referer).append("\" \"");
        line.appendEscaped(userAgent == null ? "-" : userAgent).append("\" \"");
        line.appendEscaped(cfRay == null ? "-" : cfRay).append('"');
    }

    /**
     * The line of a request refused while it was parsed: nothing of it is known, its peer included, so every
     * field but the time and the status is "-", as nginx writes a request it could not read.
     */
    static void refusedInto(AsciiLine line, String timeLocal) {
        line.append("- - - [").append(timeLocal).append("] \"-\" 400 0 \"-\" \"-\" \"-\"");
    }

    static String visitor(InetSocketAddress peer, String cfConnectingIp) {
        InetAddress address = peer == null ? null : peer.getAddress();
        if (address == null) {
            return "-";
        }
        if (cfConnectingIp != null && address.isLoopbackAddress() && isIpLiteral(cfConnectingIp)) {
            return cfConnectingIp;
        }
        Peer last = lastPeer;
        // an IPv6 address equal to the last may differ in its scope (%eth0), which the text shows
        if (address != last.address() && !(address instanceof Inet4Address && address.equals(last.address()))) {
            last = new Peer(address, address.getHostAddress());
            lastPeer = last;
        }
        return last.text();
    }

    private static boolean isIpLiteral(String value) {
        if (value.isEmpty() || value.length() > 45) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '.' || c == ':';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
