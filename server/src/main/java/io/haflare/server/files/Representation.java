package io.haflare.server.files;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * One way to send a file: as is, or a compressed variant. Small files carry their bytes in memory (served
 * from the IO thread without touching the disk); larger ones are sent from {@code file} with sendfile.
 * A class rather than a record only to hold {@link #hitHead}, built once rather than per response.
 */
public final class Representation {
    private final Encoding encoding;
    private final Path file;
    private final long size;
    private final String etag;
    private final ByteBuffer content;
    /** The head of a full 200 of this representation under the last header set it was served with. */
    private volatile HitHead hitHead;

    public Representation(Encoding encoding, Path file, long size, String etag, ByteBuffer content) {
        this.encoding = encoding;
        this.file = file;
        this.size = size;
        this.etag = etag;
        this.content = content;
    }

    public Encoding encoding() {
        return encoding;
    }

    public Path file() {
        return file;
    }

    public long size() {
        return size;
    }

    public String etag() {
        return etag;
    }

    public ByteBuffer content() {
        return content;
    }

    public boolean inMemory() {
        return content != null;
    }

    /** A view of the bytes with its own position, safe to hand to one response: one object per request. */
    public ByteBuffer slice(long start, long length) {
        return content.slice(content.position() + (int) start, (int) length);
    }

    /**
     * The head of a full 200 of this representation with {@code headers}, the entry's validators and its
     * length, serialized once. Two paths with different header sets that share a file rebuild it in turn,
     * which stays correct (each build is for the set asked for).
     */
    HitHead hitHead(ResponseHeaders headers, FileEntry entry) {
        HitHead head = hitHead;
        if (head == null || head.headers() != headers) {
            head = HitHead.build(headers, entry, this);
            hitHead = head;
        }
        return head;
    }
}
