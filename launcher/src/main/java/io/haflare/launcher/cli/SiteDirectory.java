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
            throw new UsageException(missing(site));
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

    /** A deploy's current link says what to do about itself: deploy first, or roll back to a release still there. */
    private static String missing(Path site) {
        Path sites = site.getParent();
        if (site.getFileName() != null && site.getFileName().toString().equals("current") && sites != null) {
            if (Files.isSymbolicLink(site)) {
                String target;
                try {
                    target = Files.readSymbolicLink(site).toString();
                } catch (java.io.IOException e) {
                    target = "?";
                }
                return "site " + site + " points to " + target + ", which is gone (`haflare-node releases --sites "
                        + sites + "` lists what is there; `haflare-node rollback ID --sites " + sites + "` serves one)";
            }
            return "site " + site + " does not exist yet: no release is deployed in " + sites + " (`haflare-node deploy"
                    + " ./public --sites " + sites + "` makes one)";
        }
        return "site directory " + site + " does not exist (pass --site DIR with the output of your static site"
                + " generator, for example ./public)";
    }
}
