package io.haflare.server.files;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** A file of one release with everything a response needs, computed once when the file is first resolved. */
public final class FileEntry {
    private final String contentType;
    private final long lastModifiedMillis;
    private final Map<Encoding, Representation> representations;
    /** Held apart from the map: the common case reads one field rather than the map's table. */
    private final Representation identity;
    private final boolean hasVariants;
    private final Set<Encoding> available;
    private final String lastModifiedHttp;

    /** {@code lastModifiedHttp}: the HTTP date of {@code lastModifiedMillis}, which entries may share. */
    public FileEntry(String contentType, long lastModifiedMillis, String lastModifiedHttp,
                     Map<Encoding, Representation> representations) {
        this.contentType = contentType;
        this.lastModifiedMillis = lastModifiedMillis;
        this.representations = new EnumMap<>(representations);
        this.identity = representations.get(Encoding.IDENTITY);
        this.hasVariants = representations.size() > 1;
        this.available = EnumSet.copyOf(representations.keySet());
        this.lastModifiedHttp = lastModifiedHttp;
    }

    /** Last-Modified as an HTTP date, formatted once rather than per response. */
    public String lastModifiedHttp() {
        return lastModifiedHttp;
    }

    public String contentType() {
        return contentType;
    }

    public long lastModifiedMillis() {
        return lastModifiedMillis;
    }

    public Representation identity() {
        return identity;
    }

    public Representation representation(Encoding encoding) {
        return representations.get(encoding);
    }

    public Set<Encoding> available() {
        return available;
    }

    /** True when more than one representation exists, so responses must carry Vary: Accept-Encoding. */
    public boolean hasVariants() {
        return hasVariants;
    }

    /** Bytes this entry holds in memory, for the cache budget. */
    public long memoryBytes() {
        long total = 0;
        for (Representation r : representations.values()) {
            if (r.inMemory()) {
                total += r.content().capacity();
            }
        }
        return total;
    }
}
