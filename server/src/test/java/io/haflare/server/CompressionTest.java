package io.haflare.server;

import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

class CompressionTest {
    @TempDir
    static Path dir;
    static HugoLikeSite site;
    static RunningServer server;

    @BeforeAll
    static void start() {
        site = HugoLikeSite.create(dir.resolve("public"));
        server = RunningServer.start(site.root());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private Response get(String path, String acceptEncoding) {
        return server.request().header("Accept-Encoding", acceptEncoding).get(path);
    }

    private static byte[] bytes(Path file) throws Exception {
        return Files.readAllBytes(file);
    }

    @Test
    void servesBrotliSiblingWhenPreferred() throws Exception {
        Response r = get("/js/app.js", "gzip, deflate, br, zstd");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.header("Content-Encoding")).isEqualTo("br");
        assertThat(r.header("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(r.header("Vary")).isEqualTo("Accept-Encoding");
        assertThat(r.asByteArray()).isEqualTo(bytes(site.root().resolve("js/app.js.br")));
    }

    @Test
    void honoursQValues() throws Exception {
        assertThat(get("/js/app.js", "br;q=0.5, zstd;q=0.9, gzip;q=0.1").header("Content-Encoding")).isEqualTo("zstd");
        assertThat(get("/js/app.js", "br;q=0, gzip").header("Content-Encoding")).isEqualTo("gzip");
        Response identity = get("/js/app.js", "br;q=0, gzip;q=0, zstd;q=0");
        assertThat(identity.header("Content-Encoding")).isNull();
        assertThat(identity.asByteArray()).isEqualTo(bytes(site.root().resolve("js/app.js")));
    }

    @Test
    void servesGzipSiblingWithTheOriginalsType() throws Exception {
        Response r = get("/css/" + site.cssName, "gzip");
        assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(r.header("Content-Type")).isEqualTo("text/css; charset=utf-8");
        assertThat(r.asByteArray()).isEqualTo(bytes(site.root().resolve("css/" + site.cssName + ".gz")));
    }

    @Test
    void identityWhenNoAcceptEncodingButStillVary() {
        server.request().get("/js/app.js").then()
                .statusCode(200)
                .header("Content-Encoding", nullValue())
                .header("Vary", equalTo("Accept-Encoding"));
    }

    @Test
    void variantsHaveDistinctEtags() {
        String identity = get("/js/app.js", "identity").header("ETag");
        String br = get("/js/app.js", "br").header("ETag");
        assertThat(identity).isNotEqualTo(br);
    }

    @Test
    void gzipsCompressibleFilesOverOneKibOnTheFly() throws Exception {
        Response r = get("/", "gzip");
        assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(r.header("Vary")).isEqualTo("Accept-Encoding");
        byte[] raw = r.asByteArray();
        String text = new String(new GZIPInputStream(new ByteArrayInputStream(raw)).readAllBytes(), StandardCharsets.UTF_8);
        assertThat(text).isEqualTo(Files.readString(site.root().resolve("index.html")));
        assertThat(r.header("ETag")).isNotEqualTo(get("/", "identity").header("ETag"));
    }

    @Test
    void aCompressibleFileTooLargeToKeepInMemoryStillGetsItsGzipVariant() throws Exception {
        StringBuilder js = new StringBuilder();
        for (int i = 0; js.length() < 400 * 1024; i++) { // past the in-memory limit: the file itself goes by sendfile
            js.append("export function f").append(i).append("() { return ").append(i).append("; }\n");
        }
        Path file = site.root().resolve("js/bundle.js");
        Files.writeString(file, js);

        Response gz = get("/js/bundle.js", "gzip");
        assertThat(gz.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(new String(new GZIPInputStream(new ByteArrayInputStream(gz.asByteArray())).readAllBytes(),
                StandardCharsets.UTF_8)).isEqualTo(js.toString());
        Response plain = get("/js/bundle.js", "identity");
        assertThat(plain.header("Content-Encoding")).isNull();
        assertThat(plain.header("Vary")).isEqualTo("Accept-Encoding");
        assertThat(plain.asByteArray()).isEqualTo(bytes(file));
        byte[] middle = server.request().header("Range", "bytes=200000-200099").get("/js/bundle.js").then()
                .statusCode(206).extract().asByteArray();
        assertThat(new String(middle, StandardCharsets.UTF_8)).isEqualTo(js.substring(200000, 200100));
    }

    /** A site search's index (lunr, pagefind) runs to megabytes: over the tunnel it went uncompressed. */
    @Test
    void aSearchIndexOfSomeMegabytesIsGzippedToo() throws Exception {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; json.length() < 6 * 1024 * 1024; i++) {
            json.append("{\"title\":\"Post number ").append(i).append("\",\"url\":\"/posts/").append(i)
                    .append("/\",\"summary\":\"A summary of post ").append(i * 7919 % 10007).append("\"},");
        }
        json.append("{}]");
        Files.writeString(site.root().resolve("index.json"), json);
        Response gz = get("/index.json", "gzip");
        assertThat(gz.header("Content-Encoding")).isEqualTo("gzip");
        byte[] body = gz.asByteArray();
        assertThat(body.length).isLessThan(json.length() / 4);
        assertThat(new String(new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo(json.toString());
    }

    @Test
    void gzipsTextTypesByTheirFamilyAndLeavesArchivesAlone() throws Exception {
        String cue = "WEBVTT\n\n" + "00:00:01.000 --> 00:00:02.000\nHello there\n\n".repeat(60);
        Files.writeString(site.root().resolve("subs.vtt"), cue);
        Files.writeString(site.root().resolve("sitemap.xsl"), "<xsl:stylesheet version=\"1.0\"/>\n".repeat(60));
        Files.writeString(site.root().resolve("data.geojson"), "{\"type\": \"FeatureCollection\"}\n".repeat(60));
        byte[] archive = gzipOf(cue.getBytes(StandardCharsets.UTF_8));
        Files.write(site.root().resolve("subs.tar.gz"), archive);
        assertThat(get("/subs.vtt", "gzip").header("Content-Encoding")).isEqualTo("gzip");
        assertThat(get("/sitemap.xsl", "gzip").header("Content-Encoding")).isEqualTo("gzip");
        assertThat(get("/data.geojson", "gzip").header("Content-Encoding")).isEqualTo("gzip");
        Response download = get("/subs.tar.gz", "gzip");
        assertThat(download.header("Content-Encoding")).as("a download, not a transfer coding").isNull();
        assertThat(download.header("Content-Type")).isEqualTo("application/gzip");
        assertThat(download.asByteArray()).isEqualTo(archive);
    }

    private static byte[] gzipOf(byte[] data) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    @Test
    void leavesSmallAndIncompressibleFilesAlone() {
        assertThat(get("/small.txt", "gzip").header("Content-Encoding")).isNull();
        assertThat(get("/small.txt", "gzip").header("Vary")).isNull();
        assertThat(get("/images/logo.png", "gzip").header("Content-Encoding")).isNull();
    }

    @Test
    void onTheFlyGzipCanBeSwitchedOff(@TempDir Path other) {
        HugoLikeSite off = HugoLikeSite.create(other);
        try (RunningServer plain = RunningServer.start(SiteConfig.defaults(off.root()).withAccessLog("off")
                .withGzipOnTheFly(false))) {
            Response r = plain.request().header("Accept-Encoding", "gzip").get("/");
            assertThat(r.header("Content-Encoding")).isNull();
            // precompressed siblings are still served
            assertThat(plain.request().header("Accept-Encoding", "gzip").get("/js/app.js").header("Content-Encoding"))
                    .isEqualTo("gzip");
        }
    }
}
