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
        StringBuilder line = new StringBuilder(160);
        formatInto(line, peer, cfConnectingIp, timeLocal, method, uri, protocol, status, bytes, referer, userAgent, cfRay);
        return line.toString();
    }

    /** The same line appended to a caller's builder, so a hot path can reuse one. */
    public static void formatInto(StringBuilder line, InetSocketAddress peer, String cfConnectingIp, String timeLocal,
                                  String method, String uri, String protocol, int status, long bytes, String referer,
                                  String userAgent, String cfRay) {
        line.append(visitor(peer, cfConnectingIp)).append(" - - [").append(timeLocal).append("] \"");
        escape(line, method).append(' ');
        escape(line, uri).append(' ');
        escape(line, protocol).append("\" ").append(status).append(' ').append(Math.max(bytes, 0)).append(" \"");
        escape(line, referer == null ? "-" : referer).append("\" \"");
        escape(line, userAgent == null ? "-" : userAgent).append("\" \"");
        escape(line, cfRay == null ? "-" : cfRay).append('"');
    }

    /**
     * The line of a request refused while it was parsed: nothing of it is known, its peer included, so every
     * field but the time and the status is "-", as nginx writes a request it could not read.
     */
    public static void refusedInto(StringBuilder line, String timeLocal) {
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

    private static boolean isPlain(char c) {
        return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
    }

    /** Like nginx: quotes, backslashes and bytes outside printable ASCII become \xHH. */
    static StringBuilder escape(StringBuilder out, String value) {
        int i = 0;
        while (i < value.length() && isPlain(value.charAt(i))) {
            i++;
        }
        if (i == value.length()) {
            return out.append(value); // nothing to escape: the usual case, one copy
        }
        out.append(value, 0, i);
        for (; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!isPlain(c)) {
                out.append("\\x").append(Character.forDigit((c >> 4) & 0xf, 16)).append(Character.forDigit(c & 0xf, 16));
            } else {
                out.append(c);
            }
        }
        return out;
    }
}
