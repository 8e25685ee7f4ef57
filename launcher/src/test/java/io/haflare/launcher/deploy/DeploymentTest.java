package io.haflare.launcher.deploy;

import io.haflare.server.files.ContentFingerprint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeploymentTest {
    @TempDir
    Path dir;

    private ReleaseStore store;
    private MovingClock clock;
    private Deployment deployment;
    private final List<String> progress = new ArrayList<>();

    /** A clock a test moves by hand: each deploy gets its own second. */
    static final class MovingClock extends Clock {
        Instant now = Instant.parse("2026-11-25T08:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            now = now.plus(Duration.ofSeconds(1));
            return now;
        }
    }

    @BeforeEach
    void setUp() {
        store = new ReleaseStore(dir.resolve("sites"));
        clock = new MovingClock();
        deployment = new Deployment(store, clock);
    }

    private Path build(String name, String body) throws Exception {
        Path site = dir.resolve(name);
        Files.createDirectories(site.resolve("about"));
        Files.writeString(site.resolve("index.html"), "<h1>" + body + "</h1><a href=\"/about/\">about</a>");
        Files.writeString(site.resolve("about/index.html"), "<p>about " + body + "</p>");
        Files.writeString(site.resolve("404.html"), "not here");
        return site;
    }

    private Deployment.Outcome deploy(Path source, String id) throws Exception {
        return deployment.deploy(source, id, false, 5, progress::add);
    }

    @Test
    void deploysIntoANewReleaseAndPointsCurrentAtIt() throws Exception {
        Path source = build("public", "one");
        Deployment.Outcome outcome = deploy(source, null);
        String id = outcome.release().id();
        assertThat(id).isEqualTo("20261125-080001");
        assertThat(Files.readSymbolicLink(store.currentLink())).isEqualTo(Path.of("releases", id));
        assertThat(store.currentLink().resolve("about/index.html")).hasContent("<p>about one</p>");
        assertThat(outcome.release().fingerprint()).isEqualTo(ContentFingerprint.of(source))
                .isEqualTo(ContentFingerprint.of(store.currentLink()));
        assertThat(outcome.release().files()).isEqualTo(3);
        assertThat(Files.getLastModifiedTime(store.currentLink().resolve("index.html")).toMillis())
                .as("Last-Modified and ETag stay what the build made").isEqualTo(Files.getLastModifiedTime(source.resolve("index.html")).toMillis());
        assertThat(outcome.findings()).isEmpty();
    }

    @Test
    void aSinglePageAppWithoutA404PageIsNotWarnedAbout() throws Exception {
        Path app = build("app", "spa");
        Files.delete(app.resolve("404.html"));
        assertThat(deploy(app, "v1").findings()).map(Finding::toString)
                .containsExactly("warning: no 404.html: missing pages will get a plain-text 404");
        Files.writeString(app.resolve("_redirects"), "/* /index.html 200\n");
        assertThat(deploy(app, "v2").findings()).as("its catch-all rewrite answers missing pages").isEmpty();
    }

    @Test
    void aRefusedReleaseLeavesTheRunningOneUntouched() throws Exception {
        String first = deploy(build("good", "one"), "v1").release().id();
        Path bad = dir.resolve("bad");
        Files.createDirectories(bad);
        Files.writeString(bad.resolve("about.html"), "no index");
        Files.createSymbolicLink(bad.resolve("secrets"), Path.of("/etc"));
        Files.createSymbolicLink(bad.resolve("up"), Path.of("../good/index.html"));

        assertThatThrownBy(() -> deploy(bad, "v2")).isInstanceOfSatisfying(Deployment.Refused.class, e ->
                assertThat(e.findings()).map(Finding::toString).containsExactly(
                        "problem: no index.html at the root of the release: / would answer 404 (pass the generator's"
                                + " output directory, for example ./public)",
                        "warning: no 404.html: missing pages will get a plain-text 404",
                        "problem: symlink secrets -> /etc leads outside the release (copy the file into the site instead)",
                        "problem: symlink up -> ../good/index.html leads outside the release (copy the file into the"
                                + " site instead)"));
        assertThat(store.currentId()).contains(first);
        assertThat(store.list()).map(ReleaseInfo::id).containsExactly("v1");
        assertThat(dir.resolve("sites/releases")).isDirectoryNotContaining(p -> p.getFileName().toString().startsWith("."));
    }

    @Test
    void theProjectGivenForItsBuildIsRefusedBeforeAnythingIsCopiedAndItsOutputNamed() throws Exception {
        Path project = dir.resolve("blog");
        build("blog/site", "one"); // MkDocs writes site/
        Files.createDirectories(project.resolve("node_modules/pkg"));
        Files.writeString(project.resolve("node_modules/pkg/index.js"), "x");

        assertThatThrownBy(() -> deploy(project, "v1"))
                .isInstanceOfSatisfying(Deployment.Refused.class, e -> assertThat(e.findings()).map(Finding::toString)
                        .containsExactly("problem: no index.html at the root of " + project + ": / would answer 404; "
                                + project.resolve("site") + " has one: is that the build output to deploy?"
                                + " (`haflare-node deploy " + project.resolve("site") + "`)"));
        assertThat(progress).as("nothing staged").isEmpty();
        assertThat(store.currentId()).isEmpty();
    }

    @Test
    void aZipIsRefusedWithHowToMakeAnArchiveThatWorks() throws Exception {
        Path zip = Files.write(dir.resolve("site.zip"), new byte[] {'P', 'K', 3, 4});
        assertThatThrownBy(() -> deploy(zip, "v1")).isInstanceOf(DeployException.class).hasMessage("source " + zip
                + " is neither a directory nor a .tar.gz / .tgz archive (extract it, or make one of the build: tar czf"
                + " site.tgz -C public .)");
        assertThat(progress).isEmpty();
    }

    /** The lines of the rule files a node would ignore are warned at deploy, the files read as the node reads them. */
    @Test
    void ruleFileLinesTheNodeWouldIgnoreAreWarnedAndABomIsNoProblem() throws Exception {
        Path source = build("public", "one");
        Files.writeString(source.resolve("index.html"), "<a href=\"/old\">old</a>");
        Files.write(source.resolve("_redirects"), "\uFEFF/old /about/ 301\n/x /y 418\n".getBytes(StandardCharsets.UTF_8));
        Files.writeString(source.resolve("_headers"), "/*\n  Connection: close\n");

        Deployment.Outcome outcome = deployment.deploy(source, "v1", true, 5, progress::add);

        assertThat(outcome.findings()).map(Finding::toString).containsExactly(
                "warning: _headers:2: 'Connection' describes the connection, not the file: the server sets it (line ignored)",
                "warning: _redirects:2: status 418 is not one of 200, 301, 302, 303, 307 or 308 (line ignored)");
    }

    @Test
    void aReleaseIsReadableByAllWhateverTheBuildsModes() throws Exception {
        Path source = build("public", "one");
        Files.setPosixFilePermissions(source.resolve("index.html"), PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(source.resolve("about/index.html"), PosixFilePermissions.fromString("rw-r-----"));
        Files.setPosixFilePermissions(source.resolve("about"), PosixFilePermissions.fromString("rwx------"));
        deploy(source, "v1");
        Path release = store.dirOf("v1");
        assertThat(Files.getPosixFilePermissions(release.resolve("index.html")))
                .isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(Files.getPosixFilePermissions(release.resolve("about/index.html")))
                .isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(Files.getPosixFilePermissions(release.resolve("about")))
                .contains(PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE);
        assertThat(Files.getPosixFilePermissions(release)).contains(PosixFilePermission.OTHERS_EXECUTE);
        assertThat(progress).anyMatch(line -> line.matches("made \\d+ files and directories readable by all .*"));
    }

    @Test
    void symlinksInsideTheReleaseAreKept() throws Exception {
        Path source = build("public", "one");
        Files.createSymbolicLink(source.resolve("home.html"), Path.of("index.html"));
        deploy(source, "v1");
        assertThat(Files.isSymbolicLink(store.dirOf("v1").resolve("home.html"))).isTrue();
        assertThat(store.dirOf("v1").resolve("home.html")).hasSameTextualContentAs(source.resolve("index.html"));
    }

    @Test
    void keepsTheNewestReleasesAndNeverPrunesTheCurrentOne() throws Exception {
        for (int i = 1; i <= 3; i++) {
            deployment.deploy(build("b" + i, "r" + i), "r" + i, false, 2, progress::add);
        }
        assertThat(store.list()).map(ReleaseInfo::id).containsExactly("r2", "r3");
        deployment.rollback("r2");
        Deployment.Outcome outcome = deployment.deploy(build("b4", "r4"), "r4", false, 1, progress::add);
        assertThat(outcome.pruned()).containsExactly("r2", "r3");
        assertThat(store.list()).map(ReleaseInfo::id).containsExactly("r4");
    }

    @Test
    void rollbackGoesToThePreviousReleaseOrTheOneNamed() throws Exception {
        assertThatThrownBy(() -> deployment.rollback(null)).hasMessageContaining("no releases in " + store.sites()
                + " yet: there is nothing to roll back to");
        deploy(build("b1", "one"), "v1");
        deploy(build("b2", "two"), "v2");
        deploy(build("b3", "three"), "v3");
        assertThat(deployment.rollback(null).id()).isEqualTo("v2");
        assertThat(store.currentLink().resolve("index.html")).content().contains("two");
        assertThat(deployment.rollback(null).id()).isEqualTo("v1");
        assertThatThrownBy(() -> deployment.rollback(null)).hasMessageContaining("v1 is the oldest kept");
        assertThat(deployment.rollback("v3").id()).isEqualTo("v3");
        assertThatThrownBy(() -> deployment.rollback("v9")).isInstanceOfSatisfying(DeployException.class,
                e -> assertThat(e.usage()).isTrue()).hasMessageContaining("no release v9");
    }

    /** A directory put in releases/ by hand was never validated: a rollback checks it before switching. */
    @Test
    void rollbackChecksAReleaseItDidNotDeployAndLeavesTheCurrentOneAlone() throws Exception {
        deploy(build("b1", "one"), "v1");
        Path manual = Files.createDirectories(store.dirOf("by-hand"));
        Files.writeString(manual.resolve("page.html"), "no home page");
        assertThatThrownBy(() -> deployment.rollback("by-hand")).isInstanceOfSatisfying(Deployment.Refused.class,
                e -> assertThat(e.findings()).anyMatch(f -> f.problem() && f.text().startsWith("no index.html")));
        assertThat(store.currentId()).contains("v1");
        assertThat(deployment.rollback("v1").id()).as("already current: nothing to switch").isEqualTo("v1");
        assertThat(store.currentId()).contains("v1");
    }

    @Test
    void refusesAnIdInUseOrUnsafe() throws Exception {
        deploy(build("b1", "one"), "v1");
        assertThatThrownBy(() -> deploy(build("b2", "two"), "v1")).hasMessageContaining("release v1 already exists");
        assertThatThrownBy(() -> deploy(build("b2", "two"), "../x")).hasMessageContaining("is not usable");
        assertThatThrownBy(() -> deploy(build("b2", "two"), ".hidden")).hasMessageContaining("is not usable");
        assertThat(store.currentId()).contains("v1");
    }

    @Test
    void aCurrentThatIsARealDirectoryIsNotReplaced() throws Exception {
        Files.createDirectories(dir.resolve("sites/current"));
        assertThatThrownBy(() -> deploy(build("b1", "one"), "v1")).hasMessageContaining("is a real directory");
        assertThat(dir.resolve("sites/current")).isDirectory();
        assertThat(store.list()).as("nothing staged or published for it").isEmpty();
    }

    @Test
    void onlyOneDeployAtATime() throws Exception {
        try (AutoCloseable held = store.lock()) {
            assertThatThrownBy(() -> deploy(build("b1", "one"), "v1")).hasMessageContaining("another deploy");
        }
        deploy(build("b1", "one"), "v1");
    }

    @Test
    void takesATarGzAndServesTheSingleDirectoryInside() throws Exception {
        Path source = build("public", "packed");
        Path archive = dir.resolve("site.tar.gz");
        tar("czf", archive.toString(), "-C", dir.toString(), "public");
        Deployment.Outcome outcome = deploy(archive, "t1");
        assertThat(outcome.note()).contains("one directory, public/");
        assertThat(outcome.release().fingerprint()).isEqualTo(ContentFingerprint.of(source));
        assertThat(Files.getLastModifiedTime(store.dirOf("t1").resolve("index.html")).toMillis() / 1000)
                .isEqualTo(Files.getLastModifiedTime(source.resolve("index.html")).toMillis() / 1000);

        Path flat = dir.resolve("flat.tgz");
        tar("czf", flat.toString(), "-C", source.toString(), ".");
        assertThat(deploy(flat, "t2").release().fingerprint()).isEqualTo(ContentFingerprint.of(source));
    }

    @Test
    void takesLongNamesFromPaxAndGnuArchives() throws Exception {
        Path source = build("public", "long");
        String deep = "a-rather-long-directory-name-for-the-archive/".repeat(4) + "page-with-a-long-name-é.html";
        Files.createDirectories(source.resolve(deep).getParent());
        Files.writeString(source.resolve(deep), "deep");
        for (String format : new String[] {"pax", "gnu"}) {
            Path archive = dir.resolve(format + ".tar.gz");
            tar("--format=" + format, "-czf", archive.toString(), "-C", source.toString(), ".");
            assertThat(deploy(archive, format).release().fingerprint()).isEqualTo(ContentFingerprint.of(source));
        }
    }

    @Test
    void refusesAnArchiveThatClimbsOutOfTheRelease() throws Exception {
        Path work = dir.resolve("work/inner");
        Files.createDirectories(work);
        Files.writeString(dir.resolve("work/evil.html"), "evil");
        Files.writeString(work.resolve("index.html"), "fine");
        Path archive = dir.resolve("evil.tar.gz");
        tar("-P", "-czf", archive.toString(), "-C", work.toString(), "index.html", "../evil.html");
        assertThatThrownBy(() -> deploy(archive, "e1")).isInstanceOf(TarGzArchive.BadArchive.class)
                .hasMessageContaining("'../evil.html' climbs out");
        assertThat(dir.resolve("sites/evil.html")).doesNotExist();
        assertThat(store.list()).isEmpty();

        Path truncated = dir.resolve("cut.tar.gz");
        byte[] whole = Files.readAllBytes(archive);
        Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length / 2));
        assertThatThrownBy(() -> deploy(truncated, "e2")).isInstanceOf(TarGzArchive.BadArchive.class)
                .hasMessageContaining("not a complete .tar.gz");
    }

    @Test
    void refusesAnArchiveThatWritesThroughItsOwnSymlink() throws Exception {
        Path work = dir.resolve("work");
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.createDirectories(work.resolve("b"));
        Files.writeString(work.resolve("index.html"), "fine");
        Files.writeString(work.resolve("b/evil.html"), "evil");
        Files.createSymbolicLink(work.resolve("a"), outside);
        Files.createSymbolicLink(work.resolve("x"), outside.resolve("target.html"));
        // 'a -> outside' then 'a/evil.html': tar itself would write into outside/ (the transform spares link targets)
        Path through = dir.resolve("through.tar.gz");
        tar("-czf", through.toString(), "-C", work.toString(), "--transform=s,^b/,a/,S", "index.html", "a", "b/evil.html");
        assertThatThrownBy(() -> deploy(through, "s1")).isInstanceOf(TarGzArchive.BadArchive.class)
                .hasMessageContaining("'a/evil.html' would be written through the symlink 'a'");
        // 'x -> outside/target.html' then a file named x
        Path onto = dir.resolve("onto.tar.gz");
        tar("-czf", onto.toString(), "-C", work.toString(), "--transform=s,^b/evil.html$,x,S", "x", "b/evil.html");
        assertThatThrownBy(() -> deploy(onto, "s2")).isInstanceOf(TarGzArchive.BadArchive.class)
                .hasMessageContaining("'x' would be written through the symlink 'x'");
        assertThat(outside).isEmptyDirectory();
        assertThat(store.list()).isEmpty();
    }

    @Test
    void refusesASourceThatHoldsTheReleasesItGoesInto() throws Exception {
        Path project = build("project", "one");
        ReleaseStore inside = new ReleaseStore(project.resolve("deploy/sites"));
        Deployment intoItself = new Deployment(inside, clock);
        for (int i = 0; i < 2; i++) { // before the sites directory exists, and after a deploy made it
            assertThatThrownBy(() -> intoItself.deploy(project, "p1", false, 5, progress::add))
                    .isInstanceOf(DeployException.class)
                    .hasMessage("source " + project + " holds the releases' directory " + project.resolve("deploy/sites")
                            + ": pass the build output directory itself (for example ./public)");
            intoItself.deploy(build("public", "two"), null, false, 5, progress::add);
        }
        assertThat(inside.list()).hasSize(2);
    }

    @Test
    void anArchiveHoldingANameAsAFileAndAsADirectoryIsRefusedWithThatName() throws Exception {
        Path work = dir.resolve("work");
        Files.createDirectories(work.resolve("b"));
        Files.writeString(work.resolve("index.html"), "fine");
        Files.writeString(work.resolve("a"), "a file");
        Files.writeString(work.resolve("b/c.html"), "under a directory of the same name");
        Path archive = dir.resolve("twice.tar.gz");
        tar("-czf", archive.toString(), "-C", work.toString(), "--transform=s,^b/,a/,", "index.html", "a", "b/c.html");
        assertThatThrownBy(() -> deploy(archive, "d1")).isInstanceOf(TarGzArchive.BadArchive.class)
                .hasMessage("entry 'a/c.html' in twice.tar.gz cannot be extracted: something else of that name is"
                        + " already there (the archive holds the name twice, or as a file and as a directory)");
        assertThat(store.list()).isEmpty();
    }

    @Test
    void checkLinksFindsReferencesTheReleaseDoesNotHave() throws Exception {
        Path source = build("public", "links");
        Files.createDirectories(source.resolve("css"));
        Files.writeString(source.resolve("css/main.css"), "body{}");
        Files.createDirectories(source.resolve("blog"));
        Files.writeString(source.resolve("blog/post.html"), "<link rel=stylesheet href=\"../css/main.css\">"
                + "<img src='/img/missing.png' srcset=\"/img/a.png 1x, /css/main.css 2x\">"
                + "<a href=\"https://example.org/\">out</a><a href=\"#top\">top</a><a href=/about>about</a>"
                + "<a href=\"/old/page?x=1\">moved</a><a href=\"mailto:a@b.c\">mail</a><a href=\"/blog/post\">self</a>");
        Files.writeString(source.resolve("_redirects"), "/old/* /about/ 301\n");
        assertThatThrownBy(() -> deployment.deploy(source, "l1", true, 5, progress::add))
                .isInstanceOfSatisfying(Deployment.Refused.class, e -> assertThat(e.findings()).map(Finding::text)
                        .containsExactly("blog/post.html links to /img/a.png, which the release does not have",
                                "blog/post.html links to /img/missing.png, which the release does not have"));
        assertThat(deploy(source, "l1").release().id()).isEqualTo("l1"); // without --check-links it goes out
    }

    private static void tar(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("tar"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("tar output: " + out).isZero();
    }
}
