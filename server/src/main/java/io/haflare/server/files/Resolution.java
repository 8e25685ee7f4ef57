package io.haflare.server.files;

import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

/**
 * What a site path resolved to in one release: a file to send, a redirect to the directory form
 * ("/about" → "/about/"), not found (with the nearest 404 page, or null), or a file the node may not read
 * (403, never cached: fixing the permissions shows at once). Cached per path; {@code file}
 * and {@code modified} let the cache recheck a FILE with one stat instead of resolving again.
 */
public record Resolution(Kind kind, FileEntry entry, ResponseHeaders headers, Path file, FileTime modified,
                         long size) {
    public enum Kind { FILE, ADD_SLASH, NOT_FOUND, UNREADABLE }

    public static Resolution addSlash() {
        return new Resolution(Kind.ADD_SLASH, null, ResponseHeaders.EMPTY, null, null, -1);
    }

    public static Resolution unreadable(Path file) {
        return new Resolution(Kind.UNREADABLE, null, ResponseHeaders.EMPTY, file, null, -1);
    }

    public static Resolution notFound(FileEntry page, ResponseHeaders headers) {
        return new Resolution(Kind.NOT_FOUND, page, headers, null, null, -1);
    }
}
