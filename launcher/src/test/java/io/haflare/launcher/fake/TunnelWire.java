package io.haflare.launcher.fake;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What the edge simulator and the fake agent say over one tunnel connection: the simulator's stand-in for
 * cloudflared's QUIC streams and control RPCs, as text frames on one TCP connection per HA connection.
 * <pre>
 * agent → edge   REGISTER &lt;connIndex&gt; &lt;connectorId&gt;      edge → agent   OK &lt;location&gt;
 * agent → edge   PING (every 250 ms: the edge's liveness signal)
 * edge → agent   REQ &lt;id&gt; &lt;method&gt; &lt;target&gt; &lt;n&gt;, then n "Name: value" lines
 * agent → edge   RES &lt;id&gt; &lt;status&gt; &lt;n&gt; &lt;length&gt;, then n header lines and length body bytes
 * agent → edge   UNREGISTER (graceful stop)           edge → agent   UNREGISTERED (no request follows)
 * </pre>
 */
public final class TunnelWire {
    /** A request or a response: the first line's words, the headers, the body. */
    public record Frame(String[] words, List<String[]> headers, byte[] body) {
        public String word(int i) {
            return words[i];
        }
    }

    private TunnelWire() {
    }

    /** One line without its newline, or null at the end of the stream. */
    public static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    public static void writeLine(OutputStream out, String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    public static void writeRequest(OutputStream out, long id, String method, String target, List<String[]> headers)
            throws IOException {
        StringBuilder frame = new StringBuilder("REQ " + id + " " + method + " " + target + " " + headers.size() + "\n");
        headers.forEach(h -> frame.append(h[0]).append(": ").append(h[1]).append('\n'));
        out.write(frame.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    public static void writeResponse(OutputStream out, long id, int status, List<String[]> headers, byte[] body)
            throws IOException {
        StringBuilder frame = new StringBuilder("RES " + id + " " + status + " " + headers.size() + " " + body.length + "\n");
        headers.forEach(h -> frame.append(h[0]).append(": ").append(h[1]).append('\n'));
        out.write(frame.toString().getBytes(StandardCharsets.UTF_8));
        out.write(body);
        out.flush();
    }

    /** Reads the rest of a REQ or RES frame whose first line has been read. */
    public static Frame readFrame(String firstLine, InputStream in) throws IOException {
        String[] words = firstLine.split(" ");
        boolean response = words[0].equals("RES");
        int headerCount = Integer.parseInt(words[response ? 3 : 4]);
        List<String[]> headers = new ArrayList<>(headerCount);
        for (int i = 0; i < headerCount; i++) {
            String line = readLine(in);
            if (line == null) {
                throw new EOFException("connection closed inside a frame");
            }
            int colon = line.indexOf(": ");
            headers.add(new String[] {line.substring(0, colon), line.substring(colon + 2)});
        }
        byte[] body = response ? in.readNBytes(Integer.parseInt(words[4])) : new byte[0];
        if (response && body.length != Integer.parseInt(words[4])) {
            throw new EOFException("connection closed inside a response body");
        }
        return new Frame(words, headers, body);
    }
}
