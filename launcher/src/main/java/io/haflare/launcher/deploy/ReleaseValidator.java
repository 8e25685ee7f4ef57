package io.haflare.launcher.deploy;

import io.haflare.server.files.SiteRules;
import io.haflare.server.rules.RedirectRules;
import io.haflare.server.rules.RuleProblem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Is a staged release fit to serve? An index page, no symlink out of the tree, and (optionally) no broken links. */
public final class ReleaseValidator {
    private ReleaseValidator() {
    }

    public static List<Finding> validate(Path release, boolean checkLinks) {
        List<Finding> findings = new ArrayList<>();
        if (!Files.isRegularFile(release.resolve("index.html"))) {
            findings.add(Finding.problem("no index.html at the root of the release: / would answer 404"
                    + " (pass the generator's output directory, for example ./public)"));
        }
        if (!Files.isRegularFile(release.resolve("404.html")) && !rewritesMissingPages(release)) {
            findings.add(Finding.warning("no 404.html: missing pages will get a plain-text 404"));
        }
        try {
            for (RuleProblem problem : SiteRules.problemsIn(release)) { // what the node would log and ignore
                findings.add(Finding.warning(problem.toString()));
            }
        } catch (IOException e) {
            findings.add(Finding.warning("cannot read the rule files: " + e.getMessage()));
        }
        try (Stream<Path> walk = Files.walk(release)) {
            walk.filter(Files::isSymbolicLink).sorted().forEach(link -> checkLink(release, link, findings));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the staged release " + release, e);
        }
        if (checkLinks && findings.stream().noneMatch(Finding::problem)) {
            findings.addAll(LinkChecker.check(release));
        }
        return findings;
    }

    /** A catch-all 200 rewrite in _redirects (a single-page app's /* /index.html 200) answers missing pages. */
    private static boolean rewritesMissingPages(Path release) {
        RedirectRules.Outcome outcome = LinkChecker.redirects(release).match("/no/such/page/");
        return outcome != null && outcome.isRewrite();
    }

    /** A symlink may point anywhere inside the release (lexically, so it stays valid wherever the tree moves). */
    private static void checkLink(Path release, Path link, List<Finding> findings) {
        String name = release.relativize(link).toString().replace('\\', '/');
        Path target;
        try {
            target = Files.readSymbolicLink(link);
        } catch (IOException e) {
            findings.add(Finding.problem("symlink " + name + " cannot be read: " + e.getMessage()));
            return;
        }
        Path resolved = link.getParent().resolve(target).normalize();
        if (target.isAbsolute() || !resolved.startsWith(release)) {
            findings.add(Finding.problem("symlink " + name + " -> " + target + " leads outside the release"
                    + " (copy the file into the site instead)"));
        } else if (!Files.exists(link)) {
            findings.add(Finding.warning("symlink " + name + " -> " + target + " points at nothing"));
        }
    }
}
