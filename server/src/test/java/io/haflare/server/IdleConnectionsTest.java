package io.haflare.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A full listener makes room by closing the connections idle longest (for a second at least), as nginx reuses
 * its connections: real sockets on a real port, a cap of 16, and timeouts (60 s) far longer than any wait here.
 */
class IdleConnectionsTest {
    private static final int CAP = 16;
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    /** Far more than the socket buffers on both sides hold, so its answer is still being sent. */
    private static final int BIG = 24 * 1024 * 1024;

    @TempDir
    Path dir;

    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void closeSockets() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    @BeforeEach
    void site() {
        HugoLikeSite.create(dir);
    }

    private void bigFile() throws IOException {
        Files.createDirectories(dir.resolve("files"));
        Files.write(dir.resolve("files/big.bin"), new byte[BIG]);
    }

    /** Asks for the big file and reads the head only: the body waits, and the connection stays busy. */
    private static void startDownload(Socket socket) throws IOException {
        socket.getOutputStream().write("GET /files/big.bin HTTP/1.1\r\nHost: x\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        assertThat(RawHttp.head(socket.getInputStream())).startsWith("HTTP/1.1 200 ")
                .contains("Content-Length: " + BIG);
    }

    private RunningServer start() {
        SiteConfig.Limits limits = new SiteConfig.Limits(8192, 16 * 1024, 100, Duration.ofSeconds(60),
                Duration.ofSeconds(60), CAP);
        return RunningServer.start(SiteConfig.defaults(dir).withAccessLog("off").withLimits(limits));
    }

    /** Opens a connection that sends nothing, and waits until the server holds it. */
    private Socket idle(RunningServer server) throws IOException {
        long before = server.acceptedConnections();
        Socket socket = connect(server);
        // polled often: connections opened over more than a second would be idle long enough to be closed
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(2)).until(() -> server.acceptedConnections() > before);
        return socket;
    }

    /** Opens this many connections that send nothing, in order, each held by the server before the next. */
    private List<Socket> fill(RunningServer server, int connections) throws IOException {
        List<Socket> opened = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            opened.add(idle(server));
        }
        return opened;
    }

    /** One more request on a kept-alive connection, answered in full. */
    private static void askAgain(Socket socket) throws IOException {
        assertThat(get(socket, "/robots.txt", "keep-alive")).startsWith("HTTP/1.1 200 ");
        socket.getInputStream().readNBytes(23); // the body, "User-agent: *\nAllow: /\n"
    }

    private Socket connect(RunningServer server) throws IOException {
        Socket socket = new Socket();
        sockets.add(socket);
        socket.setReceiveBufferSize(16 * 1024);
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
        socket.setSoTimeout((int) DEADLINE.toMillis());
        return socket;
    }

    private static String get(Socket socket, String path, String connection) throws IOException {
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: " + connection
                + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        return RawHttp.head(socket.getInputStream());
    }

    private static boolean closedByServer(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    @Test
    void aNewVisitorIsServedWhenEveryConnectionIsHeldByClientsThatSendNothing() throws IOException {
        try (RunningServer server = start()) {
            List<Socket> silent = fill(server, CAP);

            Socket visitor = connect(server);
            assertThat(get(visitor, "/", "close")).startsWith("HTTP/1.1 200 ");

            // the longest idle first (nginx's drain size: an eighth of those idle long enough, at least one)
            assertThat(closedByServer(silent.get(0))).isTrue();
            assertThat(server.reclaimedConnections()).isGreaterThanOrEqualTo(1);
            Socket stillThere = silent.get(CAP - 1);
            stillThere.setSoTimeout(100);
            assertThat(closedByServer(stillThere)).isFalse();
        }
    }

    @Test
    void keptAliveConnectionsAreReclaimedLongestIdleFirstOnceIdleASecondAndTheOthersStay() throws IOException {
        try (RunningServer server = start()) {
            List<Socket> kept = fill(server, CAP);
            long firstAsked = System.nanoTime();
            for (Socket socket : kept) { // one request each, in order: the first answered is idle longest
                askAgain(socket);
            }

            Socket visitor = connect(server); // the listener is full: it waits in the backlog
            assertThat(get(visitor, "/", "close")).startsWith("HTTP/1.1 200 ");

            assertThat(closedByServer(kept.get(0))).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - firstAsked)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            Socket last = kept.get(kept.size() - 1);
            assertThat(get(last, "/robots.txt", "close")).startsWith("HTTP/1.1 200 ");
        }
    }

    @Test
    void connectionsInUseAreNotClosedForNewcomers() throws IOException {
        try (RunningServer server = start()) {
            List<Socket> busy = fill(server, CAP);
            Socket visitor = connect(server); // waits in the backlog
            visitor.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));

            long until = System.nanoTime() + Duration.ofMillis(1500).toNanos();
            while (System.nanoTime() < until) { // each asks again within milliseconds: never idle for a second
                for (Socket socket : busy) {
                    askAgain(socket);
                }
            }
            assertThat(server.reclaimedConnections()).isZero();

            // once they stop, the longest idle goes after a second and the visitor is answered
            assertThat(RawHttp.head(visitor.getInputStream())).startsWith("HTTP/1.1 200 ");
            assertThat(server.reclaimedConnections()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void aConnectionStillSendingAnAnswerIsNeverReclaimed() throws IOException {
        bigFile();
        try (RunningServer server = start()) {
            Socket download = idle(server); // the oldest connection, busy from its request on
            startDownload(download);
            fill(server, CAP - 1);

            Socket visitor = connect(server);
            assertThat(get(visitor, "/", "close")).startsWith("HTTP/1.1 200 ");
            await().atMost(DEADLINE).until(() -> server.reclaimedConnections() >= 1);

            assertThat(download.getInputStream().readNBytes(BIG)).hasSize(BIG); // fewer if closed on the way
        }
    }

    @Test
    void belowTheCapIdleConnectionsAreLeftAlone() throws IOException {
        try (RunningServer server = start()) {
            Socket first = fill(server, CAP - 1).get(0);
            first.setSoTimeout(1500); // idle long enough to be closed, were the listener full
            assertThat(closedByServer(first)).isFalse();
            assertThat(server.reclaimedConnections()).isZero();
            assertThat(get(first, "/", "keep-alive")).startsWith("HTTP/1.1 200 ").doesNotContain("close");
        }
    }
}
