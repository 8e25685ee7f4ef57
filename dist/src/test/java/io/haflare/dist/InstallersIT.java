package io.haflare.dist;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.haflare.dist.Commands.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What `mvn verify -Pinstallers` built, used the way an operator would: extracted, installed into a scratch root, run. */
class InstallersIT {
    static final Path TARGET = Path.of("target").toAbsolutePath();

    @TempDir
    Path dir;

    private static Path only(String glob) throws IOException {
        try (Stream<Path> files = Files.list(TARGET)) {
            List<Path> found = files.filter(p -> TARGET.getFileSystem().getPathMatcher("glob:" + glob).matches(p.getFileName())).toList();
            assertThat(found).as(glob + " in " + TARGET).hasSize(1);
            return found.get(0);
        }
    }

    private static long sizeOf(Path tree) throws IOException {
        try (Stream<Path> all = Files.walk(tree)) {
            return all.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    @Test
    void theJarAndTheRuntimeStayWithinTheirSizes() throws Exception {
        assertThat(Files.size(TARGET.resolve("haflare-node.jar"))).isLessThanOrEqualTo(8L * 1024 * 1024);
        assertThat(sizeOf(TARGET.resolve("runtime"))).isLessThanOrEqualTo(50L * 1024 * 1024);
    }

    @Test
    void theTarballsLauncherBuildsItsClassArchiveOnFirstStartAndServes() throws Exception {
        Path tarball = only("haflare-node-*-linux-*.tar.gz");
        assertThat(run(dir, Map.of(), List.of("tar", "-xzf", tarball.toString(), "-C", dir.toString())).exit()).isZero();
        Path home = dir.resolve("haflare-node");
        String version = run(dir, Map.of(), List.of(home.resolve("bin/haflare-node").toString(), "version")).ok();
        assertThat(version).startsWith("haflare-node ").contains("agent: ");
        assertThat(home.resolve("lib/haflare-node.jsa")).exists();

        Path site = Files.createDirectories(dir.resolve("site"));
        Files.writeString(site.resolve("index.html"), "<h1>from the image</h1>");
        Path log = dir.resolve("serve.log");
        Process node = new ProcessBuilder(home.resolve("bin/haflare-node").toString(), "serve", "--site", site.toString(),
                "--listen", "127.0.0.1:0", "--admin", "off").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Pattern serving = Pattern.compile("serving .* on http://127.0.0.1:(\\d+)");
            await().atMost(Duration.ofSeconds(20)).until(() -> serving.matcher(Files.readString(log)).find() || !node.isAlive());
            Matcher m = serving.matcher(Files.readString(log));
            assertThat(m.find()).as(Files.readString(log)).isTrue();
            HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + m.group(1) + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).isEqualTo("<h1>from the image</h1>");
            node.destroy();
            assertThat(node.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(node.exitValue()).isZero();
        } finally {
            node.destroyForcibly();
        }
    }

    @Test
    void theDebInstallsTheRuntimeTheUnitTheConfigAndTheUser() throws Exception {
        Path deb = only("haflare-node_*.deb");
        String info = run(dir, Map.of(), List.of("dpkg-deb", "--info", deb.toString())).out();
        assertThat(info).contains("Package: haflare-node").containsPattern("Version: \\d+\\.\\d+\\.\\d+")
                .contains("Depends: adduser").contains("conffiles").contains("postinst").contains("prerm").contains("postrm");
        String contents = run(dir, Map.of(), List.of("dpkg-deb", "--contents", deb.toString())).out();
        assertThat(contents).contains("./lib/systemd/system/haflare-node.service", "./etc/haflare-node/haflare.yml",
                "./etc/logrotate.d/haflare-node",
                "./usr/bin/haflare-node -> /opt/haflare-node/bin/haflare-node", "./opt/haflare-node/runtime/bin/java",
                "./opt/haflare-node/lib/haflare-node.jar", "./opt/haflare-node/lib/haflare-node.classlist")
                .doesNotContain("haflare-node.jsa");

        Path control = dir.resolve("control");
        assertThat(run(dir, Map.of(), List.of("dpkg-deb", "--control", deb.toString(), control.toString())).exit()).isZero();
        assertThat(control.resolve("conffiles")).hasContent("/etc/haflare-node/haflare.yml\n/etc/logrotate.d/haflare-node");
        String postinst = Files.readString(control.resolve("postinst"));
        assertThat(postinst).contains("adduser --system --group --home /var/lib/haflare-node").contains("-Xshare:dump")
                .contains("install -d -m 0750 -o haflare -g haflare /var/log/haflare-node");
        for (String script : List.of("postinst", "prerm", "postrm")) {
            assertThat(run(dir, Map.of(), List.of("sh", "-n", control.resolve(script).toString())).exit()).isZero();
        }

        Path root = dir.resolve("root");
        assertThat(run(dir, Map.of(), List.of("dpkg-deb", "--extract", deb.toString(), root.toString())).exit()).isZero();
        assertThat(root.resolve("lib/systemd/system/haflare-node.service")).hasSameTextualContentAs(Path.of("systemd/haflare-node.service"));
        Path app = root.resolve("opt/haflare-node");
        // no package-manager lookup at each start (jpackage's native launcher runs rpm -qf, dpkg -S and dpkg -L)
        Path tools = Files.createDirectories(dir.resolve("package-tools"));
        Path calls = dir.resolve("package-tool-calls");
        for (String tool : List.of("dpkg", "dpkg-query", "rpm")) {
            Files.writeString(tools.resolve(tool), "#!/bin/sh\necho \"" + tool + " $*\" >> " + calls + "\nexit 1\n");
            tools.resolve(tool).toFile().setExecutable(true);
        }
        run(dir, Map.of("PATH", tools + ":/usr/bin:/bin"), List.of(app.resolve("bin/haflare-node").toString(), "version")).ok();
        assertThat(calls).doesNotExist();

        // postinst's archive, built for this root's path: the launcher then maps its classes from it
        String jsa = app.resolve("lib/haflare-node.jsa").toString();
        assertThat(run(dir, Map.of(), List.of(app.resolve("runtime/bin/java").toString(), "-Xshare:dump",
                "-XX:SharedClassListFile=" + app.resolve("lib/haflare-node.classlist"), "-XX:SharedArchiveFile=" + jsa,
                "-XX:+UseSerialGC", "-cp", app.resolve("lib/haflare-node.jar").toString())).exit()).isZero();
        String version = run(dir, Map.of(), List.of(app.resolve("bin/haflare-node").toString(), "version")).out();
        assertThat(version).startsWith("haflare-node ").contains("Java 17");
        Path classLog = dir.resolve("classes.log");
        run(dir, Map.of("JAVA_TOOL_OPTIONS", "-Xlog:class+load:file=" + classLog), List.of(app.resolve("bin/haflare-node").toString(), "version"));
        long shared = Files.readAllLines(classLog).stream().filter(l -> l.contains("shared objects file")).count();
        assertThat(shared).as("classes mapped from the archive").isGreaterThan(500);

        // the config skeleton is valid as shipped (its site is what the operator deploys later)
        String check = run(dir, Map.of(), List.of(app.resolve("bin/haflare-node").toString(), "check", "--config",
                root.resolve("etc/haflare-node/haflare.yml").toString(), "--listen", "127.0.0.1:0", "--admin", "off")).out();
        assertThat(check).doesNotContain("PROBLEM  config").contains("/srv/haflare-node/current");
    }
}
