package io.haflare.server.files;

import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;

import java.io.ByteArrayOutputStream;

/**
 * The header lines of a full 200 of one representation, serialized once: what {@link HeadersHandler} would put
 * on the response plus Content-Length, written the way Undertow writes a header map (each char as one byte, CR
 * and LF as spaces). The status line, Date and Connection are the response's own. {@code lines} is null when
 * the header set names a header that frames the response or the connection ({@code _headers} may set any
 * name): such responses are left to Undertow, which honours them.
 */
record HitHead(ResponseHeaders headers, byte[] lines) {
    static HitHead build(ResponseHeaders headers, FileEntry entry, Representation rep) {
        HeaderMap map = new HeaderMap();
        HeadersHandler.apply(map, headers, entry, rep);
        if (map.contains(Headers.CONTENT_LENGTH) || map.contains(Headers.TRANSFER_ENCODING)
                || map.contains(Headers.CONNECTION) || map.contains(Headers.DATE)) {
            return new HitHead(headers, null);
        }
        map.put(Headers.CONTENT_LENGTH, rep.size());
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        for (HeaderValues values : map) {
            for (String value : values) {
                write(out, values.getHeaderName().toString());
                out.write(':');
                out.write(' ');
                write(out, value);
                out.write('\r');
                out.write('\n');
            }
        }
        return new HitHead(headers, out.toByteArray());
    }

    private static void write(ByteArrayOutputStream out, String text) {
        for (int i = 0; i < text.length(); i++) {
            byte b = (byte) text.charAt(i);
            out.write(b == '\r' || b == '\n' ? ' ' : b);
        }
    }
}
