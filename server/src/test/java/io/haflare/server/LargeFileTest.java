package io.haflare.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Files above the in-memory limit go out with sendfile, one call per writability event. */
class LargeFileTest {
    private static final int SIZE = 12 * 1024 * 1024;

    @TempDir
    Path dir;

    private byte[] bigFile() throws IOException {
        HugoLikeSite.create(dir);
        byte[] content = new byte[SIZE];
        new Random(7).nextBytes(content);
        Files.createDirectories(dir.resolve("files"));
        Files.write(dir.resolve("files/big.bin"), content);
        return content;
    }

    /** The whole response, read through a small receive buffer so the server's socket fills again and again. */
    private static byte[] fetchSlowly(int port, String headers) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port));
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(("GET /files/big.bin HTTP/1.1\r\nHost: x\r\n" + headers
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] chunk = new byte[1500];
            int n;
            while ((n = in.read(chunk)) > 0) {
                all.write(chunk, 0, n);
            }
            return all.toByteArray();
        }
    }

    private static byte[] body(byte[] response) {
        for (int i = 0; i + 3 < response.length; i++) {
            if (response[i] == '\r' && response[i + 1] == '\n' && response[i + 2] == '\r' && response[i + 3] == '\n') {
                return Arrays.copyOfRange(response, i + 4, response.length);
            }
        }
        throw new AssertionError("no header end in " + response.length + " bytes");
    }

    @Test
    void aSlowReaderGetsEveryByteInOrder() throws Exception {
        byte[] content = bigFile();
        try (RunningServer server = RunningServer.start(dir)) {
            byte[] response = fetchSlowly(server.port(), "");
            assertThat(new String(response, 0, 15, StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 200 OK");
            assertThat(body(response)).isEqualTo(content);
        }
    }

    @Test
    void aRangeInTheMiddleIsExact() throws Exception {
        byte[] content = bigFile();
        try (RunningServer server = RunningServer.start(dir)) {
            byte[] response = fetchSlowly(server.port(), "Range: bytes=5000000-8999999\r\n");
            assertThat(new String(response, 0, 12, StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 206");
            // Undertow reads the first bytes, sent with the headers, itself: they must come from the range too
            assertThat(body(response)).hasSize(4_000_000).isEqualTo(Arrays.copyOfRange(content, 5_000_000, 9_000_000));
        }
    }

    /**
     * Parts shorter than one of Undertow's buffers (512 B, 1 KiB or 16 KiB less 20, by heap size), which it would
     * fill from the file: each exact, and the connection still in step, every answer where its framing says.
     */
    @Test
    void shortPartsAreExactAndKeepTheConnectionInStep() throws Exception {
        byte[] content = bigFile();
        int[][] parts = {{0, 1}, {0, 2}, {1000, 100}, {5_000_000, 511}, {5_000_000, 512}, {7, 1023}, {7, 1024},
                {300, 16_363}, {300, 16_364}, {300, 16_365}, {SIZE - 10, 10}, {100, 70_000}};
        StringBuilder requests = new StringBuilder();
        for (int[] part : parts) {
            requests.append("GET /files/big.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=")
                    .append(part[0]).append('-').append(part[0] + part[1] - 1).append("\r\n\r\n");
        }
        requests.append("HEAD /files/big.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=0-0\r\nConnection: close\r\n\r\n");
        try (RunningServer server = RunningServer.start(dir)) {
            List<RawHttp.Answer> answers = new RawHttp(server.port()).pipeline(requests.toString());
            assertThat(answers).hasSize(parts.length + 1);
            for (int i = 0; i < parts.length; i++) {
                int start = parts[i][0];
                int end = start + parts[i][1] - 1;
                RawHttp.Answer answer = answers.get(i);
                assertThat(answer.status()).as("part %d-%d", start, end).isEqualTo(206);
                assertThat(answer.headers()).containsEntry("content-range", "bytes " + start + "-" + end + "/" + SIZE);
                assertThat(answer.body()).as("part %d-%d", start, end).isEqualTo(Arrays.copyOfRange(content, start, end + 1));
            }
            assertThat(answers.get(parts.length).headers()).containsEntry("content-length", "1");
        }
    }

    /** `ss` shows the accepted socket's send buffer: fixed on loopback rather than autotuned up to 4 MiB. */
    @Test
    void loopbackConnectionsGetAFixedSendBuffer() throws Exception {
        assumeTrue(new java.io.File("/proc/sys/net/core/wmem_max").canRead(), "Linux only");
        bigFile();
        // readAllLines, not readString: JDK 17's readString returns one byte of a procfs file (its size is 0)
        long wmemMax = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/net/core/wmem_max")).get(0).strip());
        long expected = 2 * Math.min(SiteServer.LOOPBACK_SEND_BUFFER, wmemMax); // Linux doubles what it is given
        try (RunningServer server = RunningServer.start(dir);
             Socket client = new Socket("127.0.0.1", server.port())) {
            client.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            client.getInputStream().read(); // the server has accepted and answered
            Process ss;
            try {
                ss = new ProcessBuilder("ss", "-tmnH", "state", "established", "( sport = :" + server.port() + " )")
                        .redirectErrorStream(true).start();
            } catch (IOException e) {
                assumeTrue(false, "no ss (iproute2) here");
                return;
            }
            String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(ss.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(out).contains(",tb" + expected + ",");
        }
    }
}
