package io.haflare.server;

import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

class ConditionalAndRangeTest {
    static final String BODY = "0123456789abcdefghijklmnopqrstuvwxyz";
    /** Two files in one second and one in the next: the node shares Last-Modified values by second. */
    static final Map<String, Instant> MODIFIED = Map.of(
            "same-second-a.txt", Instant.parse("2026-03-01T10:00:00.200Z"),
            "same-second-b.txt", Instant.parse("2026-03-01T10:00:00.700Z"),
            "next-second.txt", Instant.parse("2026-03-01T10:00:01.500Z"));
    static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);

    @TempDir
    static Path dir;
    static RunningServer server;
    static String etag;
    static String lastModified;

    @BeforeAll
    static void start() throws IOException {
        HugoLikeSite.write(dir, "data.txt", BODY);
        HugoLikeSite.write(dir, "index.html", "<p>home</p>");
        for (Map.Entry<String, Instant> file : MODIFIED.entrySet()) {
            HugoLikeSite.write(dir, file.getKey(), file.getKey());
            Files.setLastModifiedTime(dir.resolve(file.getKey()), FileTime.from(file.getValue()));
        }
        server = RunningServer.start(dir);
        Response r = server.request().get("/data.txt");
        etag = r.header("ETag");
        lastModified = r.header("Last-Modified");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void sendsStrongEtagAndLastModified() {
        assertThat(etag).matches("\"[0-9a-f]+-[0-9a-f]+\"");
        assertThat(lastModified).endsWith(" GMT");
    }

    @Test
    void lastModifiedIsEachFilesOwnSecond() {
        for (Map.Entry<String, Instant> file : MODIFIED.entrySet()) {
            String expected = HTTP_DATE.format(
                    file.getValue().truncatedTo(ChronoUnit.SECONDS).atZone(ZoneOffset.UTC));
            assertThat(server.request().get("/" + file.getKey()).header("Last-Modified"))
                    .as(file.getKey()).isEqualTo(expected);
        }
    }

    @Test
    void ifNoneMatchWithTheEtagIs304WithValidatorsAndCachePolicy() {
        server.request().header("If-None-Match", etag).get("/data.txt").then()
                .statusCode(304)
                .header("ETag", equalTo(etag))
                .header("Cache-Control", notNullValue())
                .body(emptyString());
        server.request().header("If-None-Match", "\"other\", W/" + etag).get("/data.txt").then().statusCode(304);
        server.request().header("If-None-Match", "*").get("/data.txt").then().statusCode(304);
    }

    @Test
    void ifNoneMatchWithAnotherEtagIs200() {
        server.request().header("If-None-Match", "\"nope\"").get("/data.txt").then().statusCode(200).body(equalTo(BODY));
    }

    @Test
    void ifModifiedSinceIs304WhenUnchangedAnd200WhenOlder() {
        server.request().header("If-Modified-Since", lastModified).get("/data.txt").then().statusCode(304);
        server.request().header("If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT").get("/data.txt").then()
                .statusCode(200);
        // a date past the server's time is invalid, so ignored
        server.request().header("If-Modified-Since", "Fri, 01 Jan 2100 00:00:00 GMT").get("/data.txt").then()
                .statusCode(200);
    }

    @Test
    void ifNoneMatchWinsOverIfModifiedSince() {
        server.request().header("If-None-Match", "\"nope\"").header("If-Modified-Since", lastModified)
                .get("/data.txt").then().statusCode(200);
    }

    @Test
    void htmlRevalidatesWith304() {
        String htmlEtag = server.request().get("/").header("ETag");
        server.request().header("If-None-Match", htmlEtag).get("/").then()
                .statusCode(304).header("Cache-Control", equalTo("no-cache"));
    }

    @Test
    void failingIfMatchOrIfUnmodifiedSinceIs412() {
        server.request().header("If-Match", "\"nope\"").get("/data.txt").then().statusCode(412);
        server.request().header("If-Match", etag).get("/data.txt").then().statusCode(200);
        server.request().header("If-Unmodified-Since", "Sat, 01 Jan 2000 00:00:00 GMT").get("/data.txt").then()
                .statusCode(412);
        server.request().header("If-Unmodified-Since", lastModified).get("/data.txt").then().statusCode(200);
    }

    @Test
    void singleRangeIs206WithContentRange() {
        server.request().header("Range", "bytes=2-5").get("/data.txt").then()
                .statusCode(206)
                .header("Content-Range", equalTo("bytes 2-5/36"))
                .header("Content-Length", equalTo("4"))
                .body(equalTo("2345"));
        server.request().header("Range", "bytes=30-").get("/data.txt").then()
                .statusCode(206).header("Content-Range", equalTo("bytes 30-35/36")).body(equalTo("uvwxyz"));
        server.request().header("Range", "bytes=-3").get("/data.txt").then()
                .statusCode(206).body(equalTo("xyz"));
        server.request().header("Range", "bytes=30-999").get("/data.txt").then()
                .statusCode(206).header("Content-Range", equalTo("bytes 30-35/36"));
    }

    @Test
    void unsatisfiableRangeIs416() {
        server.request().header("Range", "bytes=36-40").get("/data.txt").then()
                .statusCode(416)
                .header("Content-Range", equalTo("bytes */36"));
    }

    @Test
    void malformedOrMultipleRangesServeTheWholeBody() {
        server.request().header("Range", "bytes=5-2").get("/data.txt").then().statusCode(200).body(equalTo(BODY));
        server.request().header("Range", "lines=1-2").get("/data.txt").then().statusCode(200);
        server.request().header("Range", "bytes=0-1,4-5").get("/data.txt").then().statusCode(200).body(equalTo(BODY));
    }

    @Test
    void ifRangeMatchingGivesThePartAndStaleGivesTheWhole() {
        server.request().header("Range", "bytes=0-1").header("If-Range", etag).get("/data.txt").then()
                .statusCode(206).body(equalTo("01"));
        server.request().header("Range", "bytes=0-1").header("If-Range", lastModified).get("/data.txt").then()
                .statusCode(206);
        server.request().header("Range", "bytes=0-1").header("If-Range", "\"stale\"").get("/data.txt").then()
                .statusCode(200).body(equalTo(BODY));
        server.request().header("Range", "bytes=0-1").header("If-Range", "Sat, 01 Jan 2000 00:00:00 GMT")
                .get("/data.txt").then().statusCode(200);
    }
}
