package io.haflare.server.log;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class LineBuffersTest {
    @Test
    void writesEveryCommittedLineOnceInOrder() throws Exception {
        LineBuffers buffers = new LineBuffers(1024 * 1024);
        for (int i = 0; i < 3; i++) {
            buffers.lineBuilder().append("line ").append(i);
            buffers.commitLine();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(buffers.writeTo(out)).isTrue();
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("line 0\nline 1\nline 2\n");
        assertThat(buffers.writeTo(new ByteArrayOutputStream())).as("nothing twice").isFalse();
    }

    @Test
    void dropsAndCountsLinesPastTheBoundInsteadOfGrowing() throws Exception {
        LineBuffers buffers = new LineBuffers(100 * 1024);
        String line = "x".repeat(1000);
        for (int i = 0; i < 200; i++) {
            buffers.lineBuilder().append(line);
            buffers.commitLine();
        }
        assertThat(buffers.dropped()).isBetween(90L, 110L);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        buffers.writeTo(out);
        assertThat(out.size()).isLessThanOrEqualTo(100 * 1024);
    }
}
