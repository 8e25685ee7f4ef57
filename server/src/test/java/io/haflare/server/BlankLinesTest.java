package io.haflare.server;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Empty lines before a request line are skipped, as RFC 9112 section 2.2 asks and nginx does: before the first
 * request, between requests, in the same write as a request or in one of their own. Never inside a request.
 */
class BlankLinesTest {
    private static final String GET = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    private static final String GET_AND_CLOSE = "GET /about/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

    @TempDir
    Path dir;

    @BeforeEach
    void site() {
        HugoLikeSite.create(dir);
    }

    private static List<Integer> statuses(List<RawHttp.Answer> answers) {
        return answers.stream().map(RawHttp.Answer::status).toList();
    }

    @Test
    void blankLinesBeforeTheFirstRequestAreSkipped() {
        try (RunningServer server = RunningServer.start(dir)) {
            assertThat(statuses(server.raw().pipeline("\r\n" + GET_AND_CLOSE))).containsExactly(200);
            assertThat(statuses(server.raw().pipeline("\r\n\r\n\n\r\n" + GET_AND_CLOSE))).containsExactly(200);
        }
    }

    @Test
    void blankLinesBetweenPipelinedRequestsAreSkipped() {
        try (RunningServer server = RunningServer.start(dir)) {
            List<RawHttp.Answer> answers = server.raw().pipeline(GET + "\r\n" + GET + "\r\n\r\n" + GET_AND_CLOSE);
            assertThat(statuses(answers)).containsExactly(200, 200, 200);
        }
    }

    @Test
    void aBlankLineAfterABodyIsSkipped() {
        try (RunningServer server = RunningServer.start(dir)) {
            // what some older clients sent after a POST body
            List<RawHttp.Answer> answers = server.raw().pipeline(
                    "POST /form HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc\r\n" + GET_AND_CLOSE);
            assertThat(statuses(answers)).containsExactly(405, 200);
        }
    }

    @Test
    void blankLinesSentOnTheirOwnBetweenRequestsAreSkipped() throws Exception {
        try (RunningServer server = RunningServer.start(dir); Socket socket = connect(server)) {
            InputStream in = socket.getInputStream();
            RawHttp.write(socket, GET);
            String head = RawHttp.head(in);
            assertThat(head).startsWith("HTTP/1.1 200 ");
            in.skipNBytes(contentLength(head));
            // separate writes, most often separate reads too: the first arrives while the server waits for a request
            RawHttp.write(socket, "\r\n");
            Thread.sleep(100);
            RawHttp.write(socket, "\r\n" + GET_AND_CLOSE);
            assertThat(statuses(RawHttp.answers(in, GET_AND_CLOSE))).containsExactly(200);
        }
    }

    @Test
    void onlyBlankLinesGetNoAnswer() throws Exception {
        try (RunningServer server = RunningServer.start(dir); Socket socket = connect(server)) {
            RawHttp.write(socket, "\r\n\r\n");
            socket.shutdownOutput();
            assertThat(socket.getInputStream().readAllBytes()).isEmpty();
        }
    }

    @Test
    void anEmptyLineThatEndsARequestsHeadersIsKept() throws Exception {
        try (RunningServer server = RunningServer.start(dir); Socket socket = connect(server)) {
            RawHttp.write(socket, "GET /about/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n");
            // a separate write, most often a separate read too; whichever, the request must be answered
            Thread.sleep(100);
            RawHttp.write(socket, "\r\n");
            List<RawHttp.Answer> answers = RawHttp.answers(socket.getInputStream(), GET_AND_CLOSE);
            assertThat(statuses(answers)).containsExactly(200);
        }
    }

    private static int contentLength(String head) {
        return Integer.parseInt(head.replaceAll("(?is).*\r\ncontent-length: *(\\d+).*", "$1"));
    }

    /** A connection whose writes leave at once (no Nagle), so that each can arrive on its own. */
    private static Socket connect(RunningServer server) throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        return socket;
    }
}
