package io.haflare.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

class PathSecurityTest {
    @TempDir
    static Path dir;
    static RunningServer server;

    @BeforeAll
    static void start() throws Exception {
        Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET outside the root");
        Files.createDirectories(dir.resolve("outside-dir"));
        Files.writeString(dir.resolve("outside-dir/file.txt"), "TOP-SECRET in a directory outside");
        HugoLikeSite site = HugoLikeSite.create(dir.resolve("public"));
        Path root = site.root();
        Files.createSymbolicLink(root.resolve("leak.txt"), dir.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("leakdir"), dir.resolve("outside-dir"));
        Files.createSymbolicLink(root.resolve("logo-alias.png"), root.resolve("images/logo.png"));
        Files.createSymbolicLink(root.resolve("aboutlink"), root.resolve("about"));
        // other names for hidden files, as a case-insensitive file system or Windows short names (GIT~1) give
        Files.writeString(root.resolve("_redirects"), "/nowhere /about/ 301\n");
        Files.createSymbolicLink(root.resolve("_REDIRECTS"), root.resolve("_redirects"));
        Files.createSymbolicLink(root.resolve("GIT~1"), root.resolve(".git"));
        Files.createSymbolicLink(root.resolve("env-alias"), root.resolve(".env"));
        Files.createSymbolicLink(root.resolve("security-alias.txt"), root.resolve(".well-known/security.txt"));
        Files.writeString(root.resolve("a;b.txt"), "the file a;b.txt");
        Files.writeString(root.resolve("a"), "the file a");
        Files.createDirectories(root.resolve("日本"));
        Files.writeString(root.resolve("日本/index.html"), "nihon");
        server = RunningServer.start(root);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/../secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/.%2e/secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/about/../../secret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "/..%5csecret.txt",
        "/%252e%252e/secret.txt",
        "/%252e%252e%252fsecret.txt",
        "/%c0%ae%c0%ae/secret.txt",
        "/%c0%af..%c0%afsecret.txt",
        "/%e0%80%ae%e0%80%ae/secret.txt",
        "/secret.txt%00.html",
        "/index.html%00",
        "/%2e/index.html",
        "/./index.html",
        "/%",
        "/%zz",
        "/a%2",
        "//../secret.txt",
        "/leak.txt",
        "/leakdir/file.txt",
        "/leakdir/",
        "/..;/secret.txt",
        "/about/..;/..;/secret.txt",
        "/leak.txt;x=1",
    })
    void hostileSpellingsNeverEscapeTheRoot(String target) {
        RawHttp.Response response = server.raw().get(target);
        assertThat(response.status()).as(target + " -> " + response.text()).isIn(400, 404);
        assertThat(response.text()).doesNotContain("TOP-SECRET");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/.env", "/.git/config", "/.git/", "/.DS_Store", "/about/.hidden", "/%2eenv", "/.well-known/../.env"})
    void dotfilesAndDotDirectoriesAreNotFound(String target) {
        RawHttp.Response response = server.raw().get(target);
        assertThat(response.status()).as(target).isIn(400, 404);
        assertThat(response.text()).doesNotContain("do-not-serve").doesNotContain("[core]");
    }

    /** The request's path is checked for dot-names and rule files; so is the real path of the file it reaches. */
    @ParameterizedTest
    @ValueSource(strings = {"/_REDIRECTS", "/GIT~1/config", "/env-alias"})
    void anotherNameForAHiddenFileIsNotFound(String target) {
        RawHttp.Response response = server.raw().get(target);
        assertThat(response.status()).as(target).isEqualTo(404);
        assertThat(response.text()).doesNotContain("/nowhere").doesNotContain("[core]").doesNotContain("do-not-serve");
    }

    @Test
    void anotherNameForAWellKnownFileIsServed() {
        server.request().get("/security-alias.txt").then().statusCode(200).body(containsString("Contact:"));
    }

    @Test
    void wellKnownIsServed() {
        server.request().get("/.well-known/security.txt").then().statusCode(200).body(containsString("Contact:"));
    }

    @Test
    void symlinksInsideTheRootAreFollowed() {
        server.request().get("/logo-alias.png").then().statusCode(200);
        server.request().get("/aboutlink/").then().statusCode(200).body(containsString("about page"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/index.html\u0001", "/index.html?a=\u0001", "/?a=\u0000", "/?a=\u007f", "/?a=\tb"})
    void rawNulAndControlBytesAreRejected(String target) {
        byte[] request = ("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThat(server.raw().send(request).status()).isIn(-1, 400);
    }

    /**
     * Browsers send { } | ^ ` raw in a query (the URL standard encodes only " # < > ' and space there): a
     * marketing link's unexpanded {{placeholder}} or Mailchimp's *|EMAIL|* tag. nginx serves them; so does the node,
     * and a redirect that keeps the query carries them encoded.
     */
    @ParameterizedTest
    @ValueSource(strings = {"utm_campaign={{campaign.name}}", "e=*|EMAIL|*", "a=^", "a=`b`", "q=\"x\"", "q=<b>",
        "q=a\\b", "q=caf\u00c3\u00a9"})
    void charactersBrowsersSendRawInAQueryAreServed(String query) {
        RawHttp.Response page = server.raw().get("/?" + query);
        assertThat(page.status()).as(page.text()).isEqualTo(200);
        RawHttp.Response redirect = server.raw().get("/about?" + query);
        assertThat(redirect.status()).isEqualTo(301);
        String location = redirect.text().lines().filter(l -> l.startsWith("Location: ")).findFirst().orElseThrow();
        assertThat(location).startsWith("Location: /about/?").matches("Location: [\\x21-\\x7e]+")
                .doesNotContain("{", "}", "|", "^", "`", "\"", "<", ">", "\\");
    }

    /** A '%' that starts no escape: a mistyped link ("?off=100%"), JavaScript's old escape() ("%u00e9"). */
    @Test
    void aStrayPercentInAQueryIsServedAsNginxServesIt() {
        assertThat(server.raw().get("/?off=100%").status()).isEqualTo(200);
        assertThat(server.raw().get("/?q=%u00e9&r=%zz%").status()).isEqualTo(200);
        RawHttp.Response redirect = server.raw().get("/about?off=100%&x=%41");
        assertThat(redirect.text()).contains("\r\nLocation: /about/?off=100%25&x=%41\r\n");
        RawHttp.Response pipelined = server.raw().send("GET /?a=% HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /about/?b=%g HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(pipelined.text().split("HTTP/1.1 200 OK", -1)).as(pipelined.text()).hasSize(3);
        assertThat(server.raw().get("/100%").status()).as("in the path, refused as nginx does").isEqualTo(400);
    }

    @Test
    void rawUtf8InAPathIsDecodedAsIfPercentEncodedAndAnythingElseRefused() {
        byte[] nihon = "/日本/".getBytes(StandardCharsets.UTF_8);
        String raw = new String(nihon, StandardCharsets.ISO_8859_1); // as curl sends it, byte for byte
        assertThat(server.raw().get(raw).body()).isEqualTo("nihon");
        assertThat(server.raw().get("/\u00ff\u00fe/").status()).as("not UTF-8").isEqualTo(400);
        assertThat(server.raw().get("/a|b").status()).isEqualTo(404);
        assertThat(server.raw().get("/about/..\\..\\secret.txt").status()).isEqualTo(400);
    }

    @Test
    void percentEncodedNormalNamesStillWork() {
        assertThat(server.raw().get("/%61bout/").status()).isEqualTo(200);
        assertThat(server.raw().get("/images/logo%2Epng").status()).isEqualTo(200);
    }

    @Test
    void aSemicolonIsPartOfThePathNotAParameterSeparator() {
        // servlet containers cut "/a;b.txt" to "/a"; nginx, and a static site's links, mean the file a;b.txt
        assertThat(server.raw().get("/a;b.txt").body()).isEqualTo("the file a;b.txt");
        assertThat(server.raw().get("/a%3Bb.txt").body()).isEqualTo("the file a;b.txt");
        assertThat(server.raw().get("/a;b.txt?v=2").body()).isEqualTo("the file a;b.txt");
        assertThat(server.raw().send("GET http://localhost/a;b.txt HTTP/1.1\r\nHost: localhost\r\n"
                + "Connection: close\r\n\r\n").body()).isEqualTo("the file a;b.txt");
        assertThat(server.raw().get("/a").body()).isEqualTo("the file a");
        assertThat(server.raw().get("/index.html;jsessionid=1").status()).isEqualTo(404);
        assertThat(server.raw().get("/about/;x").status()).isEqualTo(404);
    }
}
