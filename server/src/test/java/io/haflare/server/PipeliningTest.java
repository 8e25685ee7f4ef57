package io.haflare.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Requests pipelined on one connection to a reader slower than the socket: the server's writes fill the socket
 * and answers start while it is full. Undertow 2.3.20 then wrote buffers it had already cleared or freed: an
 * answer's head twice, kilobytes of zeros, another request's bytes.
 */
class PipeliningTest {
    private static final int IN_MEMORY = 120 * 1024;
    private static final int SENDFILE = 300 * 1024;

    @TempDir
    Path dir;

    @Test
    void aSlowReaderOfPipelinedAnswersGetsEveryByteOfEachInOrder() throws Exception {
        HugoLikeSite site = HugoLikeSite.create(dir.resolve("public"));
        byte[] inMemory = HugoLikeSite.letters(IN_MEMORY);
        byte[] sendfile = HugoLikeSite.letters(SENDFILE);
        Files.write(site.root().resolve("memory.txt"), inMemory);
        Files.write(site.root().resolve("sendfile.txt"), sendfile);
        Path log = dir.resolve("access.log");
        try (RunningServer server = RunningServer.start(SiteConfig.defaults(site.root()).withAccessLog(log.toString()))) {
            String etag = server.request().get("/memory.txt").then().statusCode(200).extract().header("ETag");
            String[] requests = {
                    "GET /memory.txt HTTP/1.1\r\nHost: a\r\n\r\n",
                    "GET /memory.txt HTTP/1.1\r\nHost: a\r\nIf-None-Match: \"stale\"\r\n\r\n",
                    "GET /memory.txt HTTP/1.1\r\nHost: a\r\nIf-None-Match: " + etag + "\r\n\r\n",
                    "GET /sendfile.txt HTTP/1.1\r\nHost: a\r\n\r\n",
                    "GET /missing HTTP/1.1\r\nHost: a\r\n\r\n"};
            int[] statuses = {200, 200, 304, 200, 404};
            byte[][] bodies = {inMemory, inMemory, new byte[0], sendfile, null};
            for (int connection = 0; connection < 6; connection++) {
                StringBuilder all = new StringBuilder();
                for (int round = 0; round < 8; round++) {
                    for (String request : requests) {
                        all.append(request);
                    }
                }
                all.append("GET /robots.txt HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
                int logged = lines(log);
                List<RawHttp.Answer> answers;
                try (Socket socket = server.raw().slowReader(all.toString())) {
                    // the server has answered what the socket takes and waits for the reader
                    await().atMost(Duration.ofSeconds(10)).until(() -> lines(log) >= logged + 2);
                    answers = RawHttp.answers(socket.getInputStream(), all.toString());
                }
                List<Integer> expected = new ArrayList<>();
                for (int round = 0; round < 8; round++) {
                    for (int status : statuses) {
                        expected.add(status);
                    }
                }
                expected.add(200);
                assertThat(answers).extracting(RawHttp.Answer::status).containsExactlyElementsOf(expected);
                for (int i = 0; i < answers.size() - 1; i++) {
                    byte[] body = bodies[i % bodies.length];
                    if (body != null) {
                        assertThat(answers.get(i).body()).as("answer %d on connection %d", i, connection).isEqualTo(body);
                    }
                }
            }
        }
    }

    private static int lines(Path log) throws IOException {
        return Files.exists(log) ? Files.readAllLines(log).size() : 0;
    }
}
