package io.haflare.launcher.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Which directory to serve: --site when given (it must exist and be readable), else ./public, else none. */
public final class SiteDirectory {
    static final Path DEFAULT = Path.of("public");

    private SiteDirectory() {
    }

    /** The site to serve, or null for the embedded welcome page. */
    public static Path choose(Path flag, Path workingDir) {
        if (flag == null) {
            Path fallback = workingDir.resolve(DEFAULT);
            return Files.isDirectory(fallback) ? fallback.toAbsolutePath().normalize() : null;
        }
        Path site = workingDir.resolve(flag).toAbsolutePath().normalize();
        if (!Files.exists(site)) {
            throw new UsageException("site directory " + site + " does not exist (pass --site DIR with the output"
                    + " of your static site generator, for example ./public)");
        }
        if (!Files.isDirectory(site)) {
            throw new UsageException("site " + site + " is not a directory (pass --site DIR)");
        }
        if (!Files.isReadable(site) || !Files.isExecutable(site)) {
            throw new UsageException("site directory " + site + " is not readable by this user"
                    + " (fix its permissions or run the node as its owner)");
        }
        return site;
    }
}
