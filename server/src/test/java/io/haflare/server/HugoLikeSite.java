package io.haflare.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

/** A fixture that looks like `hugo` output: nested pages, 404s, a /fr/ tree, fingerprinted assets, siblings. */
public final class HugoLikeSite {
    public static final byte[] PNG = HexFormat.of().parseHex(
            "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
            + "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082");

    private final Path root;
    public final String cssName;

    private HugoLikeSite(Path root, String cssName) {
        this.root = root;
        this.cssName = cssName;
    }

    /** {@code size} bytes of a-z over and over: a body whose every byte a test can check. */
    public static byte[] letters(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) ('a' + i % 26);
        }
        return bytes;
    }

    public Path root() {
        return root;
    }

    public static HugoLikeSite create(Path root) {
        try {
            Files.createDirectories(root);
            write(root, "index.html", page("Home", "home page") + "x".repeat(2000));
            write(root, "404.html", page("Not found", "site 404 page"));
            write(root, "about/index.html", page("About", "about page"));
            write(root, "posts/first-post/index.html", page("First post", "first post body"));
            write(root, "contact.html", page("Contact", "contact page"));
            write(root, "fr/index.html", page("Accueil", "page d'accueil"));
            write(root, "fr/404.html", page("Introuvable", "page 404 en francais"));
            write(root, "fr/a-propos/index.html", page("A propos", "a propos"));
            String css = "body { color: #222; }\n".repeat(200);
            String cssName = "main.min." + sha256(css) + ".css";
            write(root, "css/" + cssName, css);
            write(root, "css/" + cssName + ".gz", gzip(css.getBytes(StandardCharsets.UTF_8)));
            write(root, "css/" + cssName + ".br", "BROTLI-BYTES-OF-CSS".getBytes(StandardCharsets.UTF_8));
            String js = "console.log('hello');\n".repeat(100);
            write(root, "js/app.js", js);
            write(root, "js/app.js.br", "BROTLI-BYTES-OF-JS".getBytes(StandardCharsets.UTF_8));
            write(root, "js/app.js.zst", "ZSTD-BYTES-OF-JS".getBytes(StandardCharsets.UTF_8));
            write(root, "js/app.js.gz", gzip(js.getBytes(StandardCharsets.UTF_8)));
            write(root, "images/logo.png", PNG);
            write(root, "robots.txt", "User-agent: *\nAllow: /\n");
            write(root, "small.txt", "tiny\n");
            write(root, "index.xml", "<?xml version=\"1.0\"?><rss></rss>\n");
            write(root, ".well-known/security.txt", "Contact: mailto:security@example.org\n");
            write(root, ".env", "SECRET=do-not-serve\n");
            write(root, ".git/config", "[core]\n");
            write(root, ".DS_Store", "junk");
            return new HugoLikeSite(root, cssName);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String page(String title, String body) {
        return "<!doctype html><html><head><title>" + title + "</title></head><body><h1>" + title + "</h1><p>"
                + body + "</p></body></html>\n";
    }

    public HugoLikeSite write(String relative, String content) {
        write(root, relative, content);
        return this;
    }

    public static void write(Path root, String relative, String content) {
        write(root, relative, content.getBytes(StandardCharsets.UTF_8));
    }

    public static void write(Path root, String relative, byte[] content) {
        try {
            Path file = root.resolve(relative);
            Files.createDirectories(file.getParent());
            Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] gzip(byte[] bytes) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(bytes);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
