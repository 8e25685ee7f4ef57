package io.haflare.server.files;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ByteRangeTest {
    @Test
    void parsesTheThreeForms() {
        assertThat(ByteRange.parse("bytes=0-9", 100)).isEqualTo(new ByteRange(0, 9));
        assertThat(ByteRange.parse("bytes=90-", 100)).isEqualTo(new ByteRange(90, 99));
        assertThat(ByteRange.parse("bytes=-10", 100)).isEqualTo(new ByteRange(90, 99));
        assertThat(ByteRange.parse("bytes=-500", 100)).isEqualTo(new ByteRange(0, 99));
        assertThat(ByteRange.parse("BYTES=1-1", 100)).isEqualTo(new ByteRange(1, 1));
    }

    @Test
    void clampsTheEndToTheLength() {
        assertThat(ByteRange.parse("bytes=50-1000", 100)).isEqualTo(new ByteRange(50, 99));
        assertThat(ByteRange.parse("bytes=0-99999999999999999999", 100)).isEqualTo(new ByteRange(0, 99));
    }

    @Test
    void startPastTheEndIsUnsatisfiable() {
        assertThat(ByteRange.parse("bytes=100-", 100)).isSameAs(ByteRange.UNSATISFIABLE);
        assertThat(ByteRange.parse("bytes=-0", 100)).isSameAs(ByteRange.UNSATISFIABLE);
        assertThat(ByteRange.parse("bytes=0-", 0)).isSameAs(ByteRange.UNSATISFIABLE);
    }

    @Test
    void ignoresWhatItCannotHonour() {
        for (String header : new String[] {null, "bytes=5-1", "items=0-1", "bytes=a-b", "bytes=0-1,3-4", "bytes=", "bytes=+1-2"}) {
            assertThat(ByteRange.parse(header, 100)).as(String.valueOf(header)).isSameAs(ByteRange.FULL);
        }
    }
}
