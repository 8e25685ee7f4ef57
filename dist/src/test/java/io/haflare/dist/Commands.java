package io.haflare.dist;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs a real command (a script, a packaging tool, the launcher) and hands back its exit code and output. */
final class Commands {
    record Result(int exit, String out) {
        /** The output of a command that had to succeed. */
        String ok() {
            assertThat(exit).as(out).isZero();
            return out;
        }
    }

    private Commands() {
    }

    static Result run(Path workingDir, Map<String, String> env, List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toAbsolutePath().toFile())
                .redirectErrorStream(true);
        builder.environment().remove("TUNNEL_TOKEN");
        builder.environment().putAll(env);
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
        return new Result(p.exitValue(), out);
    }

    static Result run(String... command) throws Exception {
        return run(Path.of(""), Map.of(), List.of(command));
    }
}
