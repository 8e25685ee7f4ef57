package io.haflare.server.files;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HitHeadTest {
    private static final ByteBuffer BODY = ByteBuffer.allocateDirect(5).put("hello".getBytes(StandardCharsets.US_ASCII)).flip();

    private static FileEntry entry(Representation... reps) {
        Map<Encoding, Representation> map = new LinkedHashMap<>();
        for (Representation rep : reps) {
            map.put(rep.encoding(), rep);
        }
        return new FileEntry("text/plain; charset=utf-8", 0, "Thu, 01 Jan 1970 00:00:00 GMT", map);
    }

    private static String lines(ResponseHeaders headers, FileEntry entry, Representation rep) {
        byte[] lines = rep.hitHead(headers, entry).lines();
        return lines == null ? null : new String(lines, StandardCharsets.ISO_8859_1);
    }

    @Test
    void holdsTheHeadersOfTheRepresentationWithItsLengthEachLineEndingInCrLf() {
        Representation identity = new Representation(Encoding.IDENTITY, null, 5, "\"i\"", BODY);
        Representation gzip = new Representation(Encoding.GZIP, null, 3, "\"g\"", BODY);
        FileEntry entry = entry(identity, gzip);
        ResponseHeaders headers = new ResponseHeaders(Map.of("Content-Type", "text/plain; charset=utf-8",
                "Cache-Control", "no-cache"));
        String lines = lines(headers, entry, gzip);
        assertThat(lines.split("\r\n")).containsExactlyInAnyOrder("Content-Type: text/plain; charset=utf-8",
                "Cache-Control: no-cache", "Vary: Accept-Encoding", "Content-Encoding: gzip", "ETag: \"g\"",
                "Last-Modified: Thu, 01 Jan 1970 00:00:00 GMT", "Accept-Ranges: bytes", "Content-Length: 3");
        assertThat(lines).endsWith("\r\n").doesNotContain("\r\n\r\n");
    }

    @Test
    void isBuiltOncePerHeaderSetAndAgainForAnother() {
        Representation identity = new Representation(Encoding.IDENTITY, null, 5, "\"i\"", BODY);
        FileEntry entry = entry(identity);
        ResponseHeaders one = new ResponseHeaders(Map.of("X-A", "1"));
        ResponseHeaders other = new ResponseHeaders(Map.of("X-A", "2"));
        HitHead first = identity.hitHead(one, entry);
        assertThat(identity.hitHead(one, entry)).isSameAs(first);
        assertThat(new String(identity.hitHead(other, entry).lines(), StandardCharsets.ISO_8859_1)).contains("X-A: 2\r\n");
        assertThat(new String(identity.hitHead(one, entry).lines(), StandardCharsets.ISO_8859_1)).contains("X-A: 1\r\n");
    }

    @Test
    void leavesToUndertowASetThatNamesAHeaderFramingTheResponseOrTheConnection() {
        Representation identity = new Representation(Encoding.IDENTITY, null, 5, "\"i\"", BODY);
        FileEntry entry = entry(identity);
        for (String name : new String[] {"Connection", "connection", "Transfer-Encoding", "Content-Length", "Date"}) {
            assertThat(lines(new ResponseHeaders(Map.of(name, "x")), entry, identity)).as(name).isNull();
        }
    }

    @Test
    void writesCarriageReturnsAndLineFeedsInAValueAsSpacesAsUndertowDoes() {
        Representation identity = new Representation(Encoding.IDENTITY, null, 5, "\"i\"", BODY);
        String lines = lines(new ResponseHeaders(Map.of("X-A", "a\r\nInjected: yes")), entry(identity), identity);
        assertThat(lines).contains("X-A: a  Injected: yes\r\n").doesNotContain("\r\nInjected");
    }
}
