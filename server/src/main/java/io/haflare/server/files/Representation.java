package io.haflare.server.files;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * One way to send a file: as is, or a compressed variant. Small files carry their bytes in memory (served
 * from the IO thread without touching the disk); larger ones are sent from {@code file} with sendfile.
 */
public record Representation(Encoding encoding, Path file, long size, String etag, ByteBuffer content) {
    public boolean inMemory() {
        return content != null;
    }

    /** A view of the bytes with its own position, safe to hand to one response: one object per request. */
    public ByteBuffer slice(long start, long length) {
        return content.slice(content.position() + (int) start, (int) length);
    }
}
