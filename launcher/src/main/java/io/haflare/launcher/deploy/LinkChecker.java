package io.haflare.launcher.deploy;

import io.haflare.server.files.SiteRules;
import io.haflare.server.rules.RedirectRules;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * --check-links: every internal link and asset reference in the release's HTML (href, src, srcset, poster)
 * must resolve inside the release the way the server resolves it: a file, a directory with index.html, a
 * clean URL (`/about` → about.html), or a `_redirects` rule. External URLs and fragments are not checked.
 */
final class LinkChecker {
    private static final Pattern ATTRIBUTE = Pattern.compile(
            "\\s(href|src|poster|srcset)\\s*=\\s*(\"([^\"]*)\"|'([^']*)'|([^\\s\"'>]+))", Pattern.CASE_INSENSITIVE);
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

    private LinkChecker() {
    }

    static List<Finding> check(Path release) {
        RedirectRules redirects = redirects(release);
        List<Finding> findings = new ArrayList<>();
        List<Path> pages;
        try (Stream<Path> walk = Files.walk(release)) {
            pages = walk.filter(p -> p.getFileName().toString().endsWith(".html") && Files.isRegularFile(p))
                    .filter(p -> !release.relativize(p).toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the staged release " + release, e);
        }
        for (Path page : pages) {
            String pagePath = "/" + release.relativize(page).toString().replace('\\', '/');
            for (String reference : references(read(page))) {
                String path = sitePath(pagePath, reference);
                if (path != null && !resolves(release, path) && redirects.match(path) == null) {
                    findings.add(Finding.problem(pagePath.substring(1) + " links to " + reference
                            + ", which the release does not have"));
                }
            }
        }
        return findings;
    }

    /** The distinct references on a page, sorted (findings come out in a stable order). */
    static Set<String> references(String html) {
        Set<String> refs = new TreeSet<>();
        Matcher m = ATTRIBUTE.matcher(html);
        while (m.find()) {
            String value = m.group(3) != null ? m.group(3) : m.group(4) != null ? m.group(4) : m.group(5);
            if (m.group(1).equalsIgnoreCase("srcset")) {
                for (String candidate : value.split(",")) {
                    String url = candidate.strip().split("\\s+")[0];
                    if (!url.isEmpty()) {
                        refs.add(url);
                    }
                }
            } else {
                refs.add(value.strip());
            }
        }
        return refs;
    }

    /** The decoded site path a reference on pagePath points to, or null when it is not checked (external, fragment ...). */
    static String sitePath(String pagePath, String reference) {
        if (reference.isEmpty() || reference.startsWith("#") || reference.startsWith("//")
                || SCHEME.matcher(reference).find() || reference.contains("{{")) {
            return null;
        }
        String path = reference.replaceFirst("[?#].*$", "");
        if (path.isEmpty()) {
            return null;
        }
        if (!path.startsWith("/")) {
            path = pagePath.substring(0, pagePath.lastIndexOf('/') + 1) + path;
        }
        List<String> segments = new ArrayList<>();
        for (String segment : decode(path).split("/", -1)) {
            if (segment.equals("..")) {
                if (!segments.isEmpty()) {
                    segments.remove(segments.size() - 1);
                }
            } else if (!segment.equals(".") && !segment.isEmpty()) {
                segments.add(segment);
            }
        }
        boolean directory = path.endsWith("/") || path.endsWith("/.") || path.endsWith("/..");
        return "/" + String.join("/", segments) + (directory && !segments.isEmpty() ? "/" : "");
    }

    private static boolean resolves(Path release, String sitePath) {
        Path target = release.resolve(sitePath.substring(1));
        if (sitePath.endsWith("/")) {
            return Files.isRegularFile(target.resolve("index.html"));
        }
        return Files.isRegularFile(target) || Files.isRegularFile(target.resolve("index.html"))
                || Files.isRegularFile(target.resolveSibling(target.getFileName() + ".html"));
    }

    private static String decode(String path) {
        if (path.indexOf('%') < 0) {
            return path;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%' && i + 2 < path.length()
                    && Character.digit(path.charAt(i + 1), 16) >= 0 && Character.digit(path.charAt(i + 2), 16) >= 0) {
                bytes.write(Integer.parseInt(path.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    static RedirectRules redirects(Path release) {
        try {
            return SiteRules.redirectsIn(release); // as the node reads it: a byte order mark, UTF-16 and all
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + release.resolve(RedirectRules.FILE), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return new String(readBytes(file), StandardCharsets.ISO_8859_1);
        }
    }

    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
