package io.haflare.launcher.failover;

import io.haflare.launcher.fake.EdgeSimulator;
import io.haflare.launcher.failover.VisitorLoad.Visit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static io.haflare.launcher.failover.TwoNodeCluster.AMS;
import static io.haflare.launcher.failover.TwoNodeCluster.FRA;
import static org.awaitility.Awaitility.await;

/**
 * Every way node A can fail, with visitors near both nodes sending requests all along. FailoverTest runs
 * them briefly and asserts; bench/failover.sh runs them for a minute each and prints the table.
 */
final class FailoverScenarios {
    /** rate: visits per second; warmup: before the event; window: from the event on. */
    record Timing(int rate, Duration warmup, Duration window, EdgeSimulator.Settings edge) {
        static Timing forTests() {
            return new Timing(200, Duration.ofSeconds(2), Duration.ofSeconds(5), EdgeSimulator.Settings.defaults());
        }
    }

    /**
     * What visitors saw in one scenario: incidents are when A failed (ms since the epoch; several for a crash
     * loop), recoveredAt when it was put right (0: not in this scenario).
     */
    record Outcome(String name, List<Visit> visits, List<Long> incidents, long recoveredAt) {
        Outcome(String name, List<Visit> visits, long eventAt, long recoveredAt) {
            this(name, visits, List.of(eventAt), recoveredAt);
        }

        long eventAt() {
            return incidents.get(0);
        }

        long failures() {
            return visits.stream().filter(Visit::failed).count();
        }

        double availabilityPercent() {
            return visits.isEmpty() ? 0 : 100.0 * (visits.size() - failures()) / visits.size();
        }

        /** How long after the event visits still went to A (ms), before any recovery; -1 when they never stopped. */
        long trafficLeftAAfterMillis() {
            long end = recoveredAt > 0 ? recoveredAt : visits.isEmpty() ? eventAt() : visits.get(visits.size() - 1).sentMillis();
            long last = visits.stream().filter(v -> v.sentMillis() >= eventAt() && v.sentMillis() < end && FRA.equals(v.colo()))
                    .mapToLong(Visit::sentMillis).max().orElse(eventAt());
            return end - last < 1000 ? -1 : last - eventAt();
        }

        /**
         * How long after the recovery A served its first visit again (ms), or -1 when it did not. Counted from
         * A's last failure after the recovery: a visit A was already answering when its agent crashed can
         * succeed in the crash's own millisecond, before the edge's detection window.
         */
        long aBackAfterMillis() {
            long lastFailure = visits.stream().filter(v -> v.sentMillis() >= recoveredAt && FRA.equals(v.colo()) && v.failed())
                    .mapToLong(Visit::sentMillis).max().orElse(recoveredAt - 1);
            return visits.stream().filter(v -> v.sentMillis() > lastFailure && FRA.equals(v.colo()) && !v.failed())
                    .mapToLong(v -> v.sentMillis() - recoveredAt).min().orElse(-1);
        }

        List<Visit> failed() {
            return visits.stream().filter(Visit::failed).toList();
        }

        Outcome from(long start, String newName) {
            return new Outcome(newName, visits.stream().filter(v -> v.sentMillis() >= start).toList(), incidents, recoveredAt);
        }

        Outcome before(long end, String newName) {
            return new Outcome(newName, visits.stream().filter(v -> v.sentMillis() < end).toList(), incidents, recoveredAt);
        }
    }

    private static final String DEFAULTS = "health:\n  path: /\n";
    private static final String GATE_OFF = "health:\n  gate: false\n";

    private final Path dir;
    private final Timing timing;

    FailoverScenarios(Path dir, Timing timing) {
        this.dir = dir;
        this.timing = timing;
    }

    /** (a) Nothing fails: every visit is answered. */
    Outcome steadyState() throws Exception {
        try (TwoNodeCluster cluster = cluster("a", DEFAULTS, Map.of())) {
            VisitorLoad load = load(cluster);
            sleep(timing.warmup().plus(timing.window()));
            return new Outcome("a steady state", load.stop(), 0, 0);
        }
    }

    /** (b) then (f): A's site disappears, later it is back. With the gate off (b'), A's agent keeps serving errors. */
    Outcome[] siteBreaksThenRecovers(boolean gate) throws Exception {
        try (TwoNodeCluster cluster = cluster(gate ? "b" : "b-off", gate ? DEFAULTS : GATE_OFF, Map.of())) {
            VisitorLoad load = load(cluster);
            sleep(timing.warmup());
            long broke = System.currentTimeMillis();
            cluster.breakSite(cluster.a);
            sleep(timing.window());
            long repaired = System.currentTimeMillis();
            cluster.repairSite(cluster.a);
            if (gate) {
                await().atMost(Duration.ofSeconds(20)).until(() -> cluster.edge.connections(FRA) == 4);
            }
            sleep(Duration.ofSeconds(2));
            Outcome all = new Outcome("", load.stop(), broke, repaired);
            return new Outcome[] {all.before(repaired, gate ? "b site breaks" : "b' site breaks, gate off (plain setup)"),
                    all.from(repaired, gate ? "f site recovers" : "f' site recovers, gate off")};
        }
    }

    /** (c) A is stopped the polite way (systemctl stop): its agent leaves the edge before the site stops. */
    Outcome sigterm() throws Exception {
        try (TwoNodeCluster cluster = cluster("c", DEFAULTS, Map.of())) {
            VisitorLoad load = load(cluster);
            sleep(timing.warmup());
            long at = System.currentTimeMillis();
            cluster.a.process.terminate();
            sleep(timing.window());
            Outcome outcome = new Outcome("c SIGTERM to node A", load.stop(), at, 0);
            if (cluster.a.process.awaitExit(Duration.ofSeconds(40)) != 0) {
                throw new AssertionError("node A did not exit 0 on SIGTERM: " + cluster.a.process.errText());
            }
            return outcome;
        }
    }

    /** (d) A and its agent die at once: the edge routes to the dead connections until it notices. */
    Outcome sigkill() throws Exception {
        try (TwoNodeCluster cluster = cluster("d", DEFAULTS, Map.of())) {
            VisitorLoad load = load(cluster);
            sleep(timing.warmup());
            long at = System.currentTimeMillis();
            cluster.killHard(cluster.a);
            sleep(timing.window().plus(timing.edge().deadAfter()));
            return new Outcome("d SIGKILL to node A and its agent", load.stop(), at, 0);
        }
    }

    /**
     * (d') Only A's node process dies (a JVM crash, the OOM killer taking the JVM): the kernel sends its agent
     * SIGTERM (setpriv --pdeathsig), and the agent leaves the edge as on any stop.
     */
    Outcome sigkillNodeOnly() throws Exception {
        try (TwoNodeCluster cluster = cluster("d-node", DEFAULTS, Map.of())) {
            VisitorLoad load = load(cluster);
            sleep(timing.warmup());
            long at = System.currentTimeMillis();
            ProcessHandle.of(cluster.a.process.pid()).ifPresent(ProcessHandle::destroyForcibly);
            sleep(timing.window());
            return new Outcome("d' SIGKILL to node A alone", load.stop(), at, 0);
        }
    }

    /** (e) A's agent crashes three times in a row, then stays up; A's site is fine all along. */
    Outcome crashLoop() throws Exception {
        Path count = Files.createDirectories(dir.resolve("e")).resolve("crashes");
        try (TwoNodeCluster cluster = cluster("e", DEFAULTS, Map.of("FAKE_AGENT_CRASH_AFTER", "2",
                "FAKE_AGENT_CRASH_FILE", count.toString(), "FAKE_AGENT_CRASHES", "3"))) {
            VisitorLoad load = load(cluster);
            await().atMost(Duration.ofSeconds(60)).until(() -> cluster.a.crashes().size() == 3);
            long lastCrash = cluster.a.crashes().get(2);
            // the fourth agent, which does not crash, is up and registered
            await().atMost(Duration.ofSeconds(30)).until(() -> cluster.a.agentPids().size() == 4 && cluster.edge.connections(FRA) == 4);
            sleep(Duration.ofSeconds(2));
            return new Outcome("e agent of A crash-loops (3 crashes)", load.stop(), cluster.a.crashes(), lastCrash);
        }
    }

    /** (g) The operator drains A (maintenance), then resumes it. */
    Outcome drainThenResume() throws Exception {
        try (TwoNodeCluster cluster = cluster("g", DEFAULTS, Map.of())) {
            VisitorLoad load = load(cluster);
            sleep(timing.warmup());
            long drained = System.currentTimeMillis();
            cluster.admin(cluster.a, "/drain");
            sleep(timing.window());
            long resumed = System.currentTimeMillis();
            cluster.admin(cluster.a, "/resume");
            await().atMost(Duration.ofSeconds(20)).until(() -> cluster.edge.connections(FRA) == 4);
            sleep(Duration.ofSeconds(2));
            return new Outcome("g drain A, then resume", load.stop(), drained, resumed);
        }
    }

    /** Whether a visit was sent within length after one of the incidents (or just before: clocks tick in ms). */
    static boolean within(Visit v, List<Long> starts, Duration length) {
        return starts.stream().anyMatch(s -> v.sentMillis() >= s - 100 && v.sentMillis() <= s + length.toMillis());
    }

    static Predicate<Visit> servedBy(String colo) {
        return v -> colo.equals(v.colo()) && !v.failed();
    }

    private TwoNodeCluster cluster(String name, String config, Map<String, String> envA) throws Exception {
        return TwoNodeCluster.start(Files.createDirectories(dir.resolve(name)), timing.edge(), config, envA);
    }

    private VisitorLoad load(TwoNodeCluster cluster) {
        return VisitorLoad.start(cluster.edge.visitorUri(), timing.rate(), List.of(FRA, AMS), TwoNodeCluster.PAGES);
    }

    private static void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis()); // the load runs meanwhile: this is the length of the scenario, not a wait for a condition
    }
}
