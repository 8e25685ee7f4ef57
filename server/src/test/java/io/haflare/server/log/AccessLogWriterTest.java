package io.haflare.server.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class AccessLogWriterTest {
    @TempDir
    Path dir;

    @Test
    void anIdleWriterWaitsForALineRatherThanATimer() throws Exception {
        try (AccessLog log = AccessLog.open(dir.resolve("access.log").toString(), warning -> { })) {
            // TIMED_WAITING would mean a thread that wakes every few milliseconds on a node nobody visits
            await().atMost(Duration.ofSeconds(5)).until(() -> log.writerState() == Thread.State.WAITING);
        }
    }

    @Test
    void aCommittedLineWakesTheWaitingWriter() throws Exception {
        LineBuffers buffers = new LineBuffers(1024 * 1024);
        Thread writer = new Thread(buffers::awaitLine, "test-writer");
        writer.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> writer.getState() == Thread.State.WAITING);

        buffers.lineBuilder().append("first after idle");
        buffers.commitLine();
        writer.join(5000);
        assertThat(writer.isAlive()).as("woken by the line").isFalse();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        buffers.writeTo(out);
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("first after idle\n");
    }

    @Test
    void aLineCommittedBeforeTheWriterWaitsIsNotMissed() throws Exception {
        LineBuffers buffers = new LineBuffers(1024 * 1024);
        buffers.lineBuilder().append("already there");
        buffers.commitLine();
        Thread writer = new Thread(buffers::awaitLine, "test-writer");
        writer.start();
        writer.join(5000);
        assertThat(writer.isAlive()).as("returns at once: there is a line to write").isFalse();
    }
}
