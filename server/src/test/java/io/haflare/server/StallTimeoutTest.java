package io.haflare.server;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A connection on which nothing moves for the idle timeout (1 s here) is ended, in the middle of a request too:
 * a client that stops reading its answer or sending its body cannot hold a connection for good. Real sockets on
 * a real port.
 */
class StallTimeoutTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final int BIG = 12 * 1024 * 1024;
    /** Below the in-memory limit: answered from memory, written by the node itself. */
    private static final int CACHED = 100 * 1024;

    @TempDir
    Path dir;

    private Path log;

    @BeforeEach
    void site() throws IOException {
        HugoLikeSite.create(dir.resolve("site"));
        Files.createDirectories(dir.resolve("site/files"));
        Files.write(dir.resolve("site/files/big.bin"), new byte[BIG]);
        Files.write(dir.resolve("site/files/cached.bin"), new byte[CACHED]);
        log = dir.resolve("access.log");
    }

    private RunningServer start() {
        SiteConfig.Limits limits = new SiteConfig.Limits(8192, 16 * 1024, 100, TIMEOUT, Duration.ofSeconds(10), 100);
        return RunningServer.start(SiteConfig.defaults(dir.resolve("site")).withAccessLog(log.toString())
                .withLimits(limits));
    }

    private List<String> logLines() throws IOException {
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/files/big.bin", "/files/cached.bin"})
    void aClientThatStopsReadingItsAnswersIsCutOff(String path) throws Exception {
        try (RunningServer server = start(); Socket reader = new Socket()) {
            reader.setReceiveBufferSize(4096);
            reader.connect(new InetSocketAddress("127.0.0.1", server.port()));
            long sent = System.nanoTime();
            // more than every socket buffer on the way holds, so the server's writes wait on the reader
            RawHttp.write(reader, ("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").repeat(40));
            await().atMost(DEADLINE).until(() -> server.stalledConnections() == 1 && server.openConnections() == 0);
            assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThanOrEqualTo(TIMEOUT);

            // the request ended as a broken one does: logged with what was sent, its completion run
            await().atMost(DEADLINE).until(() -> !logLines().isEmpty());
            assertThat(logLines().get(logLines().size() - 1)).contains("\"GET " + path + " HTTP/1.1\" 200 ");
            server.request().get("/").then().statusCode(200);
        }
    }

    @Test
    void aClientThatStopsSendingTheBodyItAnnouncedIsCutOff() throws Exception {
        try (RunningServer server = start(); Socket sender = new Socket("127.0.0.1", server.port())) {
            sender.setSoTimeout((int) DEADLINE.toMillis());
            RawHttp.write(sender, "POST /form HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nabc");
            InputStream in = sender.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1); // to the server's close
            assertThat(answer).startsWith("HTTP/1.1 405 ");
            assertThat(server.stalledConnections()).isEqualTo(1);
        }
    }

    @Test
    void aSlowReaderThatKeepsReadingGetsItsWholeAnswer() throws Exception {
        int size = 4 * 1024 * 1024;
        Files.write(dir.resolve("site/files/four.bin"), new byte[size]);
        try (RunningServer server = start(); Socket reader = new Socket()) {
            // a small buffer, so the server writes as the reader reads rather than into the reader's buffer at once
            reader.setReceiveBufferSize(64 * 1024);
            reader.connect(new InetSocketAddress("127.0.0.1", server.port()));
            reader.setSoTimeout((int) DEADLINE.toMillis());
            RawHttp.write(reader, "GET /files/four.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            InputStream in = reader.getInputStream();
            byte[] chunk = new byte[256 * 1024];
            long total = 0;
            for (int n; (n = in.readNBytes(chunk, 0, chunk.length)) > 0; ) {
                total += n;
                Thread.sleep(TIMEOUT.toMillis() / 4); // the client's pace, well within the timeout between reads
            }
            assertThat(total).isGreaterThan(size);
            assertThat(server.stalledConnections()).isZero();
        }
    }
}
