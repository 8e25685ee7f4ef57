package io.haflare.dist;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** dist/deb/logrotate: logrotate reads it and rotates the access log in the unit's LogsDirectory. */
class LogrotateTest {
    static final Path CONFIG = Path.of("deb", "logrotate");
    static final Path LOGROTATE = Path.of("/usr/sbin/logrotate");

    @TempDir
    Path dir;

    @Test
    void logrotateRotatesTheAccessLogWithoutASignal() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(LOGROTATE) || System.getenv("CI") != null,
                "logrotate (Debian package logrotate) is installed by .ci/run");
        String shipped = Files.readString(CONFIG);
        assertThat(shipped).contains("/var/log/haflare-node/*.log").doesNotContainPattern("(?m)^\\s*postrotate");
        assertThat(Files.readString(Path.of("systemd", "haflare-node.service"))).contains("LogsDirectory=haflare-node");
        Path logs = Files.createDirectories(dir.resolve("log"));
        Path config = dir.resolve("logrotate.conf");
        Files.writeString(config, shipped.replace("/var/log/haflare-node/", logs + "/"));
        Files.writeString(logs.resolve("access.log"), "203.0.113.7 - - [27/Nov/2026:08:00:00 +0000] \"GET / HTTP/1.1\" 200 5\n");

        String out = Commands.run(LOGROTATE.toString(), "--verbose", "--force", "--state", dir.resolve("state").toString(),
                config.toString()).ok();

        assertThat(out).doesNotContainIgnoringCase("error");
        assertThat(logs.resolve("access.log.1")).hasContent("203.0.113.7 - - [27/Nov/2026:08:00:00 +0000] \"GET / HTTP/1.1\" 200 5");
        assertThat(logs.resolve("access.log")).doesNotExist(); // the node opens it again at its path within a second
    }
}
