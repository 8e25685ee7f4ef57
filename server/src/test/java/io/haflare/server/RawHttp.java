package io.haflare.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Sends a request line exactly as written (no client normalization of "..", "%2e" or "\") and reads the answer. */
public final class RawHttp {
    private final int port;

    public RawHttp(int port) {
        this.port = port;
    }

    /** The status code and the whole response text for GET target. */
    public Response get(String target) {
        return send("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    }

    public Response send(String request) {
        return send(request.getBytes(StandardCharsets.ISO_8859_1));
    }

    public Response send(byte[] request) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            in.transferTo(buffer);
            String text = buffer.toString(StandardCharsets.ISO_8859_1);
            int status = text.startsWith("HTTP/1.1 ") ? Integer.parseInt(text.substring(9, 12)) : -1;
            return new Response(status, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A parsed status (-1 when the server closed without answering) and the raw text. */
    public record Response(int status, String text) {
        public String body() {
            int end = text.indexOf("\r\n\r\n");
            return end < 0 ? "" : text.substring(end + 4);
        }
    }

    /**
     * A connection that reads slowly: a 4 KB receive buffer, so the server's writes fill the socket and wait
     * for it to drain. The requests are written at once; the caller reads (or does not) and closes it.
     */
    public Socket slowReader(String requests) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port));
        socket.setSoTimeout(20_000);
        socket.getOutputStream().write(requests.getBytes(StandardCharsets.ISO_8859_1));
        return socket;
    }

    /** One answer of a pipelined exchange: status line, headers by lower-case name in the order sent, body. */
    public record Answer(String statusLine, int status, Map<String, String> headers, byte[] body) {}

    /**
     * Writes the requests at once on one connection and reads every answer until the server closes it, which
     * the last request must make it do (Connection: close, or HTTP/1.0 without keep-alive).
     */
    public List<Answer> pipeline(String requests) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(requests.getBytes(StandardCharsets.ISO_8859_1));
            return answers(socket.getInputStream(), requests);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads to the end of the stream and splits it into answers framed by their Content-Length; none has a
     * body after a HEAD (which the requests tell) or with a 304. Fails on anything that is not an answer.
     */
    public static List<Answer> answers(InputStream in, String requests) throws IOException {
        List<Boolean> heads = new ArrayList<>();
        for (String line : requests.split("\r\n")) {
            if (line.matches("[A-Z]+ \\S+ HTTP/1\\.[01]")) {
                heads.add(line.startsWith("HEAD "));
            }
        }
        byte[] wire = in.readAllBytes();
        List<Answer> answers = new ArrayList<>();
        int at = 0;
        while (at < wire.length) {
            int end = indexOf(wire, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), at);
            String head = new String(wire, at, (end < 0 ? wire.length : end) - at, StandardCharsets.ISO_8859_1);
            if (end < 0 || !head.startsWith("HTTP/1.")) {
                throw new IllegalStateException("not an answer at byte " + at + " after " + answers.size() + " answers: "
                        + head.substring(0, Math.min(80, head.length())));
            }
            String[] lines = head.split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).toLowerCase(), lines[i].substring(colon + 1).trim());
            }
            int status = Integer.parseInt(lines[0].substring(9, 12));
            boolean headOnly = answers.size() < heads.size() && heads.get(answers.size());
            int length = headOnly || status == 304 ? 0 : Integer.parseInt(headers.getOrDefault("content-length", "0"));
            at = end + 4;
            answers.add(new Answer(lines[0], status, headers, Arrays.copyOfRange(wire, at, Math.min(wire.length, at + length))));
            at += length;
        }
        return answers;
    }

    /** Writes text on the socket as its bytes, at once. */
    public static void write(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    /** Reads an answer's head, up to its empty line (or what there is before the end of the stream). */
    public static String head(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = from; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
