package io.haflare.launcher.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where static site generators write their build, for the hint when a project directory is given instead of
 * its output: its home page is in one of these, not at its root.
 */
public final class BuildOutput {
    /**
     * Hugo, Gatsby, Hexo, Zola; Jekyll, Eleventy; Astro, Vite; Docusaurus, CRA; Next; MkDocs; Pelican; mdBook;
     * Nuxt; VitePress.
     */
    private static final String[] DIRECTORIES = {"public", "_site", "dist", "build", "out", "site", "output", "book",
        ".output/public", ".vitepress/dist", "docs/.vitepress/dist"};

    private BuildOutput() {
    }

    /** The first generator output directory under project that has an index.html. */
    public static Optional<Path> under(Path project) {
        for (String directory : DIRECTORIES) {
            Path candidate = project.resolve(directory);
            if (Files.isRegularFile(candidate.resolve("index.html"))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
