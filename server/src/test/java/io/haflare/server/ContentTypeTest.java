package io.haflare.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.hamcrest.Matchers.equalTo;

class ContentTypeTest {
    @TempDir
    static Path dir;
    static RunningServer server;

    @BeforeAll
    static void start() {
        String[] names = {"a.html", "a.css", "a.js", "a.mjs", "a.json", "a.xml", "a.txt", "a.svg", "a.png", "a.jpg",
            "a.gif", "a.webp", "a.avif", "a.ico", "a.woff", "a.woff2", "a.ttf", "a.pdf", "a.wasm", "a.map",
            "site.webmanifest", "a.mp4", "a.webm", "a.unknownext", "noextension", "A.PNG", "a.vtt", "sitemap.xsl",
            "a.m3u8", "a.mov", "a.tar.gz", "a.docx", "a.epub", "a.ics", "a.jxl", "a.eot", "a.glb", "a.jsonld",
            "track.gpx", "a.kml", "a.mkv", "a.avi", "seg.m4s", "a.mid", "a.tsv", "a.yaml", "a.ttc", "a.rar", "a.crt", "a.ps"};
        for (String name : names) {
            HugoLikeSite.write(dir, "t/" + name, "x");
        }
        server = RunningServer.start(dir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a.html|text/html; charset=utf-8",
        "a.css|text/css; charset=utf-8",
        "a.js|text/javascript; charset=utf-8",
        "a.mjs|text/javascript; charset=utf-8",
        "a.json|application/json; charset=utf-8",
        "a.xml|application/xml; charset=utf-8",
        "a.txt|text/plain; charset=utf-8",
        "a.svg|image/svg+xml; charset=utf-8",
        "a.png|image/png",
        "A.PNG|image/png",
        "a.jpg|image/jpeg",
        "a.gif|image/gif",
        "a.webp|image/webp",
        "a.avif|image/avif",
        "a.ico|image/x-icon",
        "a.woff|font/woff",
        "a.woff2|font/woff2",
        "a.ttf|font/ttf",
        "a.pdf|application/pdf",
        "a.wasm|application/wasm",
        "a.map|application/json; charset=utf-8",
        "site.webmanifest|application/manifest+json; charset=utf-8",
        "a.mp4|video/mp4",
        "a.webm|video/webm",
        "a.vtt|text/vtt; charset=utf-8",
        "sitemap.xsl|application/xslt+xml; charset=utf-8",
        "a.m3u8|application/vnd.apple.mpegurl",
        "a.mov|video/quicktime",
        "a.tar.gz|application/gzip",
        "a.docx|application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "a.epub|application/epub+zip",
        "a.ics|text/calendar; charset=utf-8",
        "a.jxl|image/jxl",
        "a.eot|application/vnd.ms-fontobject",
        "a.glb|model/gltf-binary",
        "a.jsonld|application/ld+json; charset=utf-8",
        "track.gpx|application/gpx+xml; charset=utf-8",
        "a.kml|application/vnd.google-earth.kml+xml; charset=utf-8",
        "a.mkv|video/x-matroska",
        "a.avi|video/x-msvideo",
        "seg.m4s|video/iso.segment",
        "a.mid|audio/midi",
        "a.tsv|text/tab-separated-values; charset=utf-8",
        "a.yaml|application/yaml; charset=utf-8",
        "a.ttc|font/collection",
        "a.rar|application/vnd.rar",
        "a.crt|application/x-x509-ca-cert",
        "a.ps|application/postscript",
        "a.unknownext|application/octet-stream",
        "noextension|application/octet-stream",
    })
    void sendsTheContentTypeForTheExtension(String name, String type) {
        server.request().get("/t/" + name).then().statusCode(200).header("Content-Type", equalTo(type));
    }
}
