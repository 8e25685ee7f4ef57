package io.haflare.launcher.deploy;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.zip.GZIPInputStream;

/**
 * Extracts a .tar.gz (ustar, pax and GNU long names, as GNU tar and bsdtar write them) into a directory.
 * Only directories, regular files and symlinks are taken; absolute names, `..` and anything else (devices,
 * hard links) are refused with the entry's name, so an archive cannot write outside its target.
 */
final class TarGzArchive {
    private static final int BLOCK = 512;

    /** A problem with the archive itself: the message names the entry. */
    static final class BadArchive extends IOException {
        BadArchive(String message) {
            super(message);
        }
    }

    private TarGzArchive() {
    }

    /** Writing an entry's content failed: the file it went to, and why. */
    static final class WriteFailure extends FileSystemException {
        WriteFailure(Path file, IOException cause) {
            super(file.toString(), null, cause.getMessage());
        }
    }

    static void extract(Path archive, Path target) throws IOException {
        try (InputStream in = new BufferedInputStream(new GZIPInputStream(Files.newInputStream(archive), 64 * 1024))) {
            String longName = null;
            String longLink = null;
            byte[] header = new byte[BLOCK];
            while (true) {
                if (!readBlock(in, header)) {
                    throw new BadArchive(archive + " ends before its end-of-archive marker (truncated upload?)");
                }
                if (isZero(header)) {
                    return;
                }
                char type = (char) header[156];
                long size = number(header, 124, 12);
                String name = longName != null ? longName : name(header);
                String link = longLink != null ? longLink : text(header, 157, 100);
                longName = null;
                longLink = null;
                switch (type) {
                    case 'L' -> longName = stripNul(new String(readData(in, size), StandardCharsets.UTF_8));
                    case 'K' -> longLink = stripNul(new String(readData(in, size), StandardCharsets.UTF_8));
                    case 'x' -> {
                        String[] pax = paxNames(readData(in, size));
                        longName = pax[0];
                        longLink = pax[1];
                    }
                    case 'g' -> readData(in, size); // global pax header: nothing here needs it
                    default -> {
                        try {
                            place(in, type, size, target, name, link, number(header, 136, 12), archive);
                        } catch (WriteFailure e) {
                            throw e; // the target's fault (a full disk), not the archive's
                        } catch (FileSystemException e) {
                            throw new BadArchive("entry '" + name + "' in " + archive.getFileName()
                                    + " cannot be extracted: " + reason(e));
                        }
                    }
                }
            }
        } catch (EOFException | java.util.zip.ZipException e) {
            throw new BadArchive(archive + " is not a complete .tar.gz (" + e.getMessage() + ")");
        }
    }

    /** Writes one directory, file or symlink entry. */
    private static void place(InputStream in, char type, long size, Path target, String name, String link,
            long mtimeSeconds, Path archive) throws IOException {
        switch (type) {
            case '5' -> {
                skip(in, size);
                Files.createDirectories(unlinked(target, name));
            }
            case '0', '\0', '7' -> writeFile(in, size, unlinked(target, name), mtimeSeconds);
            case '2' -> {
                skip(in, size);
                Path at = unlinked(target, name);
                Files.createDirectories(at.getParent());
                Files.createSymbolicLink(at, Path.of(link)); // where it points is the validator's business
            }
            default -> throw new BadArchive("entry '" + name + "' in " + archive.getFileName()
                    + " is a " + kind(type) + ": a site holds only files, directories and symlinks");
        }
    }

    private static String reason(FileSystemException e) {
        if (e instanceof FileAlreadyExistsException) {
            return "something else of that name is already there (the archive holds the name twice, or as a file"
                    + " and as a directory)";
        }
        return e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
    }

    private static String kind(char type) {
        return switch (type) {
            case '1' -> "hard link";
            case '3', '4' -> "device";
            case '6' -> "FIFO";
            default -> "entry of type '" + type + "'";
        };
    }

    /** The entry's place under target, refusing absolute names and `..`. */
    static Path safe(Path target, String name) throws BadArchive {
        String clean = name;
        while (clean.startsWith("./")) {
            clean = clean.substring(2);
        }
        if (clean.startsWith("/") || clean.contains("\\") || clean.contains("\0")) {
            throw new BadArchive("entry '" + name + "' has an absolute or unusual name: refused");
        }
        for (String segment : clean.split("/")) {
            if (segment.equals("..")) {
                throw new BadArchive("entry '" + name + "' climbs out of the archive with '..': refused");
            }
        }
        Path resolved = target.resolve(clean.isEmpty() ? "." : clean).normalize();
        if (!resolved.startsWith(target)) {
            throw new BadArchive("entry '" + name + "' would land outside the release: refused");
        }
        return resolved;
    }

    /**
     * The entry's place, refused when an earlier entry put a symlink on the way or at the place itself: writing
     * there would follow it, so `a -> /etc` then `a/passwd` would write outside the release.
     */
    private static Path unlinked(Path target, String name) throws BadArchive {
        Path at = safe(target, name);
        for (Path step = at; step != null && step.startsWith(target) && !step.equals(target); step = step.getParent()) {
            if (Files.isSymbolicLink(step)) {
                throw new BadArchive("entry '" + name + "' would be written through the symlink '"
                        + target.relativize(step) + "' the archive made before it: refused");
            }
        }
        return at;
    }

    private static void writeFile(InputStream in, long size, Path file, long mtimeSeconds) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            long left = size;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new EOFException("file " + file.getFileName() + " is cut short");
                }
                try {
                    out.write(buffer, 0, n);
                } catch (IOException e) { // a full disk: the stream's message alone names no file
                    throw new WriteFailure(file, e);
                }
                left -= n;
            }
        }
        skip(in, padding(size));
        Files.setLastModifiedTime(file, FileTime.fromMillis(mtimeSeconds * 1000));
    }

    private static byte[] readData(InputStream in, long size) throws IOException {
        if (size > 1 << 20) {
            throw new BadArchive("an extended header of " + size + " bytes: refused");
        }
        byte[] data = in.readNBytes((int) size);
        if (data.length != size) {
            throw new EOFException("header data cut short");
        }
        skip(in, padding(size));
        return data;
    }

    private static void skip(InputStream in, long bytes) throws IOException {
        in.skipNBytes(bytes);
    }

    private static long padding(long size) {
        return (BLOCK - size % BLOCK) % BLOCK;
    }

    private static boolean readBlock(InputStream in, byte[] block) throws IOException {
        int n = in.readNBytes(block, 0, BLOCK);
        return n == BLOCK;
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String name(byte[] header) {
        String name = text(header, 0, 100);
        String prefix = "ustar".equals(text(header, 257, 5)) ? text(header, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static String text(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static String stripNul(String s) {
        int nul = s.indexOf('\0');
        return nul >= 0 ? s.substring(0, nul) : s;
    }

    /** Octal, or base-256 when the high bit is set (GNU tar for large files). */
    private static long number(byte[] header, int offset, int length) throws BadArchive {
        if ((header[offset] & 0x80) != 0) {
            long value = header[offset] & 0x7f;
            for (int i = 1; i < length; i++) {
                value = (value << 8) | (header[offset + i] & 0xff);
            }
            return value;
        }
        String digits = text(header, offset, length).strip();
        try {
            return digits.isEmpty() ? 0 : Long.parseLong(digits, 8);
        } catch (NumberFormatException e) {
            throw new BadArchive("a tar header holds '" + digits + "' where a number belongs: not a tar archive");
        }
    }

    /** path and linkpath from a pax record block ("<len> key=value\n" ..., lengths in bytes). */
    private static String[] paxNames(byte[] records) throws BadArchive {
        String[] names = new String[2];
        int i = 0;
        while (i < records.length) {
            int space = i;
            while (space < records.length && records[space] != ' ') {
                space++;
            }
            int length;
            try {
                length = Integer.parseInt(new String(records, i, space - i, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw new BadArchive("a pax header is malformed: not a tar archive this node can read");
            }
            if (length <= space - i || i + length > records.length) {
                throw new BadArchive("a pax header is malformed: not a tar archive this node can read");
            }
            String record = new String(records, space + 1, i + length - space - 2, StandardCharsets.UTF_8);
            if (record.startsWith("path=")) {
                names[0] = record.substring(5);
            } else if (record.startsWith("linkpath=")) {
                names[1] = record.substring(9);
            }
            i += length;
        }
        return names;
    }
}
