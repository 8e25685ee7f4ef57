package io.haflare.server.net;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class QueryPercentRepairTest {
    private static final String HEADERS = "\r\nHost: x\r\nReferer: https://a.example/?r=100%\r\n\r\n";

    /** The bytes after repair, in a buffer with room; the read's bytes start at 3, as after an earlier read. */
    private static String repaired(String read, int room) {
        byte[] bytes = read.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer buffer = ByteBuffer.allocateDirect(3 + bytes.length + room);
        buffer.position(3);
        buffer.put(bytes);
        int end = QueryPercentRepair.repair(buffer, 3, 3 + bytes.length, buffer.capacity());
        byte[] out = new byte[end - 3];
        buffer.get(3, out);
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    @Test
    void aPercentThatStartsNoEscapeInTheQueryBecomesAnEscapedPercent() {
        assertThat(repaired("GET /?off=100% HTTP/1.1" + HEADERS, 64)).isEqualTo("GET /?off=100%25 HTTP/1.1" + HEADERS);
        assertThat(repaired("GET /p?a=%zz&b=%41%4&c=%u00e9&d=%%41 HTTP/1.1" + HEADERS, 64))
                .isEqualTo("GET /p?a=%25zz&b=%41%254&c=%25u00e9&d=%25%41 HTTP/1.1" + HEADERS);
        assertThat(repaired("GET http://host/?a=% HTTP/1.1" + HEADERS, 64)).isEqualTo("GET http://host/?a=%25 HTTP/1.1"
                + HEADERS);
    }

    @Test
    void everythingElseIsLeftAsItCame() {
        for (String read : new String[] {
            "GET /?a=%41&b=%c3%A9 HTTP/1.1" + HEADERS, // proper escapes
            "GET /100% HTTP/1.1" + HEADERS, // the path: refused by nginx too
            "GET / HTTP/1.1" + HEADERS, // no query (the Referer's '%' is a header's)
            "GET /?a=%zz", // the target goes on past this read
            "GET /?a=%4", // ... and may end the escape it began
        }) {
            assertThat(repaired(read, 64)).isEqualTo(read);
        }
        assertThat(repaired("GET /?a=%&b=% HTTP/1.1\r\n\r\n", 3)).as("no room for two more bytes per '%'")
                .isEqualTo("GET /?a=%&b=% HTTP/1.1\r\n\r\n");
    }
}
