package io.haflare.launcher.failover;

import io.haflare.launcher.fake.EdgeSimulator;
import io.haflare.launcher.failover.FailoverScenarios.Outcome;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * bench/failover.sh: every scenario at a fixed rate, longer than the tests run them, one table row each.
 * Arguments: visits per second (200), window after the event in seconds (55; with the 5 s before it, the
 * 60 s window the targets speak of), the edge's dead-connection detection time in seconds (3), and
 * optionally which scenarios to run ("b,d'"; default all).
 */
public final class FailoverBench {
    private FailoverBench() {
    }

    public static void main(String[] args) {
        try {
            run(args);
            System.exit(0);
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1); // the JDK's HttpServer threads would keep a failed run alive
        }
    }

    private static void run(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int window = args.length > 1 ? Integer.parseInt(args[1]) : 55;
        int deadAfter = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        FailoverScenarios.Timing timing = new FailoverScenarios.Timing(rate, Duration.ofSeconds(5), Duration.ofSeconds(window),
                new EdgeSimulator.Settings(Duration.ofSeconds(deadAfter), Duration.ofSeconds(30)));
        Path dir = Files.createTempDirectory("failover-bench");
        FailoverScenarios scenarios = new FailoverScenarios(dir, timing);
        System.out.printf(Locale.ROOT, "%d visits/s, half near node A (fra), half near node B (ams); %d s before the event,"
                + " %d s after; the simulated edge notices a silent connection after %d s%n%n", rate, 5, window, deadAfter);
        System.out.println("| scenario | requests | failures | availability | traffic off A after | A back after |");
        System.out.println("| --- | --- | --- | --- | --- | --- |");
        List<String> only = args.length > 3 ? List.of(args[3].split(",")) : List.of();
        List<Outcome> rows = new ArrayList<>();
        for (Scenario scenario : List.<Scenario>of(
                new Scenario("a", () -> List.of(scenarios.steadyState())),
                new Scenario("b", () -> List.of(scenarios.siteBreaksThenRecovers(true))),
                new Scenario("b'", () -> List.of(scenarios.siteBreaksThenRecovers(false)[0])),
                new Scenario("c", () -> List.of(scenarios.sigterm())),
                new Scenario("d", () -> List.of(scenarios.sigkill())),
                new Scenario("d'", () -> List.of(scenarios.sigkillNodeOnly())),
                new Scenario("e", () -> List.of(scenarios.crashLoop())),
                new Scenario("g", () -> List.of(scenarios.drainThenResume())))) {
            if (only.isEmpty() || only.contains(scenario.key())) {
                for (Outcome o : scenario.run().call()) {
                    rows.add(print(o));
                }
            }
        }
        System.out.println();
        rows.stream().filter(o -> o.failures() > 0).forEach(o -> System.out.println(o.name() + ": failures by status "
                + o.failed().stream().collect(java.util.stream.Collectors.groupingBy(v -> v.status() == 0 ? v.error()
                : String.valueOf(v.status()), java.util.TreeMap::new, java.util.stream.Collectors.counting()))));
    }

    /** A scenario by its letter (the fourth argument picks some: "b,d'"), and how to run it. */
    private record Scenario(String key, java.util.concurrent.Callable<List<Outcome>> run) {}

    private static Outcome print(Outcome o) {
        long off = o.name().startsWith("a ") || o.name().startsWith("f") || o.name().startsWith("e ") ? -2
                : o.trafficLeftAAfterMillis();
        long back = o.recoveredAt() == 0 || o.name().startsWith("b") ? -2 : o.aBackAfterMillis();
        System.out.printf(Locale.ROOT, "| %s | %d | %d | %.3f %% | %s | %s |%n", o.name(), o.visits().size(), o.failures(),
                o.availabilityPercent(), millis(off), millis(back));
        System.out.flush();
        return o;
    }

    private static String millis(long ms) {
        return ms == -2 ? "" : ms < 0 ? "never" : String.format(Locale.ROOT, "%.2f s", ms / 1000.0);
    }
}
