package io.haflare.server.log;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AsciiLineTest {
    @Test
    void numbersAreWrittenInDecimal() {
        AsciiLine line = new AsciiLine();
        for (long n : new long[] {0, 7, 10, 99, 100, 6221, 10_485_760, Long.MAX_VALUE, -1, Long.MIN_VALUE}) {
            line.append(n).append(' ');
        }
        assertThat(line.toString()).isEqualTo("0 7 10 99 100 6221 10485760 " + Long.MAX_VALUE + " -1 " + Long.MIN_VALUE + " ");
    }

    @Test
    void everythingButPrintableAsciiIsEscapedAsNginxDoes() {
        String value = "a\"b\\c\n\u0000\u007f\u00e9 ~";
        assertThat(new AsciiLine().appendEscaped(value).toString()).isEqualTo("a\\x22b\\x5cc\\x0a\\x00\\x7f\\xe9 ~");
    }

    @Test
    void growsPastItsFirstArrayAndStartsOverWhenCleared() {
        AsciiLine line = new AsciiLine();
        String escaped = "\"".repeat(300); // 1,200 bytes escaped: past the first 512 in the middle of one value
        line.append("x".repeat(400)).appendEscaped(escaped);
        assertThat(line.length()).isEqualTo(1600);
        assertThat(line.toString()).isEqualTo("x".repeat(400) + "\\x22".repeat(300));
        assertThat(line.clear().append("again").toString()).isEqualTo("again");
    }
}
