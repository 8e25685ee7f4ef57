package io.haflare.launcher.cli;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** A failure as the one line the user sees on stderr: what is wrong and how to fix it, never a stack trace. */
public final class ErrorLine {
    private ErrorLine() {
    }

    public static String of(String message) {
        return "haflare-node: " + message;
    }

    public static String of(Throwable e) {
        return of(e instanceof FileSystemException f ? describe(f) : e.getMessage() != null ? e.getMessage() : e.toString());
    }

    /** A file-system refusal: its message alone is often the bare path ("/srv/sites/releases"). */
    static String describe(FileSystemException e) {
        if (e.getFile() == null) {
            return e.getMessage();
        }
        String file = e.getFile() + (e.getOtherFile() == null ? "" : " -> " + e.getOtherFile());
        if (e instanceof AccessDeniedException) {
            return "permission denied on " + file + " (run as a user who may write there, or change its owner"
                    + " or mode)";
        }
        if (e instanceof NoSuchFileException) {
            return file + " does not exist";
        }
        if (e instanceof FileAlreadyExistsException) {
            return file + " already exists";
        }
        if (e.getReason() != null && e.getReason().contains("No space left")) {
            String written = e.getOtherFile() != null ? e.getOtherFile() : e.getFile(); // a copy's target
            return "no space left on the file system of " + written + " (free some there: `df -h` shows how much is"
                    + " left)";
        }
        return e.getReason() == null ? e.getClass().getSimpleName() + ": " + file : file + ": " + e.getReason();
    }
}
