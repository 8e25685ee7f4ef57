package io.haflare.launcher.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** PlainStart must parse every line it accepts exactly as picocli would, and step aside from the rest. */
class PlainStartTest {
    private static final Path DIR = Path.of("");

    /** The node flags as picocli's model of `run` knows them, help and version left out. */
    private static List<OptionSpec> nodeFlags() {
        return new CommandLine(new RunCommand(DIR, Map.of())).getCommandSpec().options().stream()
                .filter(o -> !o.usageHelp() && !o.versionHelp()).toList();
    }

    private static Map<String, Object> picocli(String... args) {
        RunCommand run = new RunCommand(DIR, Map.of());
        new CommandLine(run).parseArgs(args);
        return fields(run.options);
    }

    private static Map<String, Object> fields(NodeOptions options) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Field field : NodeOptions.class.getDeclaredFields()) {
            try {
                values.put(field.getName(), field.get(options));
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
        return values;
    }

    private static String[] withRun(List<String> args) {
        List<String> line = new ArrayList<>(List.of("run"));
        line.addAll(args);
        return line.toArray(String[]::new);
    }

    @Test
    void everyFlagPicocliKnowsParsesToTheSameValuesInBothSpellings() {
        List<OptionSpec> flags = nodeFlags();
        assertThat(flags).hasSizeGreaterThanOrEqualTo(13);
        for (OptionSpec flag : flags) {
            String name = flag.longestName();
            List<List<String>> lines = flag.arity().max() == 0 ? List.of(List.of(name))
                    : List.of(List.of(name, "some/value"), List.of(name + "=some/value"), List.of(name + "="));
            for (List<String> line : lines) {
                String[] args = line.toArray(String[]::new);
                PlainStart plain = PlainStart.parse(args);
                assertThat(plain).as("PlainStart takes %s", line).isNotNull();
                assertThat(fields(plain.options())).as("%s", line).isEqualTo(picocli(args));
                assertThat(fields(PlainStart.parse(withRun(line)).options())).isEqualTo(picocli(args));
            }
        }
    }

    @Test
    void aServiceLineParsesAsPicocliWouldAndKeepsTheCommand() {
        String[] line = {"--config", "/etc/haflare-node/haflare.yml", "--token-file", "/run/credentials/x/tunnel-token",
            "--agent-arg=--loglevel", "--agent-arg", "debug", "--no-gzip", "--admin", "off"};
        PlainStart run = PlainStart.parse(withRun(List.of(line)));
        assertThat(run).isNotNull();
        assertThat(run.tunnel()).isTrue();
        assertThat(fields(run.options())).isEqualTo(picocli(line));
        assertThat(run.options().agentArgs).containsExactly("--loglevel", "debug");

        PlainStart serve = PlainStart.parse(new String[] {"serve", "--site", "public"});
        assertThat(serve.tunnel()).isFalse();
        assertThat(serve.options().site).isEqualTo("public");
        assertThat(PlainStart.parse(new String[0])).isNotNull();
    }

    @Test
    void stepsAsideFromWhatPicocliMustParseOrWord() {
        for (String[] line : new String[][] {
            {"--help"}, {"-h"}, {"--version"}, {"-V"}, {"run", "--help"}, {"help"}, {"status"}, {"deploy", "site"},
            {"version"}, {"--no-such-flag", "x"}, {"-s", "x"}, {"@args.txt"}, {"--", "x"}, {"--site"},
            {"--site", "a", "--site", "b"}, {"--site", "--listen", "127.0.0.1:1"}, {"--no-gzip=true"},
            {"--no-gzip", "--no-gzip"}, {"run", "run"}, {"--site", "public", "extra"}, {"--config", "bad\0path"}}) {
            assertThat(PlainStart.parse(line)).as("%s", List.of(line)).isNull();
        }
    }
}
