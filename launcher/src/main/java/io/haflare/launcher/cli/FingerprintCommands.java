package io.haflare.launcher.cli;

import io.haflare.server.files.ContentFingerprint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Do the replicas serve the same files? `fingerprint DIR` says what a build is, `verify` what a node serves. */
public final class FingerprintCommands {
    private FingerprintCommands() {
    }

    @Command(name = "fingerprint", mixinStandardHelpOptions = true,
            description = "Print the content fingerprint of a site directory (last line), as nodes report it.")
    public static final class Fingerprint implements Callable<Integer> {
        @Parameters(paramLabel = "DIR", description = "A build output, for example ./public.")
        Path dir;

        private final Path workingDir;

        public Fingerprint(Path workingDir) {
            this.workingDir = workingDir;
        }

        @Override
        public Integer call() {
            Path site = workingDir.resolve(dir).toAbsolutePath().normalize();
            if (!Files.isDirectory(site)) {
                throw new UsageException(site + " is not a directory (pass the site's build output, for example ./public)");
            }
            System.out.println(ContentFingerprint.of(site));
            return ExitCodes.OK;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Exit 0 when the running node serves exactly the expected fingerprint, else 1.")
    public static final class Verify implements Callable<Integer> {
        private static final Pattern FINGERPRINT = Pattern.compile("\"fingerprint\":(null|\"([^\"]+)\")");
        private static final Pattern RELEASE = Pattern.compile("\"release\":(null|\"([^\"]*)\")");

        @Option(names = "--expect", required = true, paramLabel = "FINGERPRINT",
                description = "What the node must serve, as `haflare-node fingerprint DIR` printed it.")
        String expected;

        @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "30s",
                description = "How long to wait for a node still hashing a new release. Default: ${DEFAULT-VALUE}.")
        String wait;

        @Mixin
        ConfigOptions.Admin options = new ConfigOptions.Admin();

        private final Path workingDir;
        private final Map<String, String> env;

        public Verify(Path workingDir, Map<String, String> env) {
            this.workingDir = workingDir;
            this.env = env;
        }

        @Override
        public Integer call() throws InterruptedException {
            AdminClient client = AdminClient.forConfig(options.load(workingDir, env), workingDir);
            Instant deadline;
            try {
                deadline = Instant.now().plus(io.haflare.launcher.config.Durations.parse(wait));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--wait: " + e.getMessage()); // a usage error: exit 2, as for any flag
            }
            try {
                while (true) {
                    String status = client.get("/status").body();
                    Matcher fp = FINGERPRINT.matcher(status);
                    String served = fp.find() ? fp.group(2) : null;
                    if (served != null || Instant.now().isAfter(deadline)) {
                        Matcher release = RELEASE.matcher(status);
                        String where = release.find() && release.group(2) != null ? " (release " + release.group(2) + ")" : "";
                        if (expected.equals(served)) {
                            System.out.println("ok: the node serves " + served + where);
                            return ExitCodes.OK;
                        }
                        System.out.println("MISMATCH: the node serves " + (served == null ? "nothing yet (no fingerprint"
                                + " within " + wait + ")" : served) + where + ", expected " + expected);
                        return ExitCodes.RUNTIME_FAILURE;
                    }
                    Thread.sleep(Duration.ofMillis(200).toMillis());
                }
            } catch (AdminClient.Failure e) {
                System.err.println(ErrorLine.of(e));
                return ExitCodes.RUNTIME_FAILURE;
            }
        }
    }
}
