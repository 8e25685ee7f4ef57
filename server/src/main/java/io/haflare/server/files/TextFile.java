package io.haflare.server.files;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The text of a file a person wrote (a token, the config, a site's _redirects), as Windows editors and shells
 * save it too: Notepad puts a UTF-8 byte order mark in front, and Windows PowerShell 5's
 * {@code echo $token > token.txt} writes UTF-16 with one. Read as plain UTF-8, either would look malformed, and
 * a rule file's first rule would be ignored. The byte order mark goes; a byte that is not UTF-8 becomes U+FFFD
 * rather than failing the whole file.
 */
public final class TextFile {
    private TextFile() {
    }

    public static String read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Charset charset = StandardCharsets.UTF_8;
        int skip = 0;
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF) {
            skip = 3;
        } else if (bytes.length >= 2 && (bytes[0] & 0xff) == 0xFF && (bytes[1] & 0xff) == 0xFE) {
            charset = StandardCharsets.UTF_16LE;
            skip = 2;
        } else if (bytes.length >= 2 && (bytes[0] & 0xff) == 0xFE && (bytes[1] & 0xff) == 0xFF) {
            charset = StandardCharsets.UTF_16BE;
            skip = 2;
        }
        return new String(bytes, skip, bytes.length - skip, charset);
    }
}
