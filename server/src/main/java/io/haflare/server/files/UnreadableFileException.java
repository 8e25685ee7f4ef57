package io.haflare.server.files;

import java.nio.file.Path;

/** The node may not read a file it resolved a request to (or search its directory): 403, as nginx answers. */
final class UnreadableFileException extends RuntimeException {
    final Path path;

    UnreadableFileException(Path path) {
        super(path + ": permission denied", null, false, false); // an answer, not a fault: no stack trace
        this.path = path;
    }
}
