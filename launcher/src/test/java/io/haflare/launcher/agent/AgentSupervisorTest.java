package io.haflare.launcher.agent;

import io.haflare.launcher.agent.SupervisorAction.Kill;
import io.haflare.launcher.agent.SupervisorAction.ShutdownComplete;
import io.haflare.launcher.agent.SupervisorAction.Spawn;
import io.haflare.launcher.agent.SupervisorAction.Terminate;
import io.haflare.launcher.agent.SupervisorEvent.Drain;
import io.haflare.launcher.agent.SupervisorEvent.Exited;
import io.haflare.launcher.agent.SupervisorEvent.Ready;
import io.haflare.launcher.agent.SupervisorEvent.Resume;
import io.haflare.launcher.agent.SupervisorEvent.Shutdown;
import io.haflare.launcher.agent.SupervisorEvent.SiteHealth;
import io.haflare.launcher.agent.SupervisorEvent.Started;
import io.haflare.launcher.agent.SupervisorEvent.Tick;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AgentSupervisorTest {
    final MutableClock clock = new MutableClock();
    final AgentSupervisor supervisor = new AgentSupervisor(clock,
            new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(60), () -> 0.5),
            Duration.ofSeconds(35), false);

    List<SupervisorAction> on(SupervisorEvent event) {
        return supervisor.handle(event);
    }

    List<SupervisorAction> tickAfter(Duration d) {
        clock.advance(d);
        return on(new Tick());
    }

    static boolean has(List<SupervisorAction> actions, Class<? extends SupervisorAction> type) {
        return actions.stream().anyMatch(type::isInstance);
    }

    static List<String> logs(List<SupervisorAction> actions) {
        List<String> lines = new ArrayList<>();
        actions.stream().filter(SupervisorAction.Log.class::isInstance)
                .forEach(a -> lines.add(((SupervisorAction.Log) a).message()));
        return lines;
    }

    void startConnected() {
        assertThat(has(on(new SiteHealth(true, "GET / -> 200 in 2 ms (2/2)")), Spawn.class)).isTrue();
        on(new Started(100));
        on(new Ready(4));
    }

    @Test
    void startsTheAgentOnlyOnceTheSiteIsHealthy() {
        assertThat(supervisor.state()).isEqualTo(AgentState.WAITING_FOR_HEALTH);
        assertThat(has(tickAfter(Duration.ofSeconds(30)), Spawn.class)).isFalse();
        assertThat(has(on(new SiteHealth(true, "ok")), Spawn.class)).isTrue();
        assertThat(supervisor.state()).isEqualTo(AgentState.STARTING);
    }

    @Test
    void readinessMovesBetweenConnectedAndNotConnected() {
        on(new SiteHealth(true, "ok"));
        on(new Started(100));
        on(new Ready(0));
        assertThat(supervisor.state()).isEqualTo(AgentState.NOT_CONNECTED);
        on(new Ready(4));
        assertThat(supervisor.state()).isEqualTo(AgentState.CONNECTED);
        assertThat(supervisor.readyConnections()).isEqualTo(4);
        on(new Ready(0));
        assertThat(supervisor.state()).isEqualTo(AgentState.NOT_CONNECTED);
    }

    @Test
    void restartsACrashedAgentAfterTheBackoffDelay() {
        startConnected();
        clock.advance(Duration.ofSeconds(5));
        List<SupervisorAction> crash = on(new Exited(1, "ERR edge discovery: error looking up Cloudflare edge IPs"));
        assertThat(supervisor.state()).isEqualTo(AgentState.BACKOFF);
        assertThat(logs(crash)).anyMatch(l -> l.contains("exited 1") && l.contains("restarting in 1.0 s"));
        assertThat(has(tickAfter(Duration.ofMillis(999)), Spawn.class)).isFalse();
        assertThat(has(tickAfter(Duration.ofMillis(1)), Spawn.class)).isTrue();
        assertThat(supervisor.restarts()).isEqualTo(1);
        assertThat(supervisor.lastExit()).isEqualTo(1);
        assertThat(supervisor.lastError()).contains("edge discovery");
    }

    @Test
    void aCrashLoopWaitsLongerEachTimeUpToTheCapAndNeverSpins() {
        on(new SiteHealth(true, "ok"));
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            on(new Started(100 + i));
            clock.advance(Duration.ofMillis(200));
            on(new Exited(1, "boom"));
            long waited = 0;
            while (!has(tickAfter(Duration.ofMillis(100)), Spawn.class)) {
                waited += 100;
                assertThat(waited).isLessThan(70_000);
            }
            delays.add(waited + 100);
        }
        assertThat(delays).containsExactly(1000L, 2000L, 4000L, 8000L, 16000L, 32000L, 60000L, 60000L, 60000L);
        assertThat(supervisor.restarts()).isEqualTo(9);
    }

    @Test
    void stopsTheAgentWhenTheSiteTurnsUnhealthyAndKillsItAfterTheBound() {
        startConnected();
        List<SupervisorAction> stop = on(new SiteHealth(false, "GET / -> 404 in 3 ms (3/3)"));
        assertThat(has(stop, Terminate.class)).isTrue();
        assertThat(logs(stop)).containsExactly("site unhealthy: GET / -> 404 in 3 ms (3/3); stopping agent");
        assertThat(supervisor.state()).isEqualTo(AgentState.STOPPING);
        assertThat(has(tickAfter(Duration.ofSeconds(34)), Kill.class)).isFalse();
        assertThat(has(tickAfter(Duration.ofSeconds(1)), Kill.class)).isTrue();
        assertThat(has(tickAfter(Duration.ofSeconds(1)), Kill.class)).as("SIGKILL once").isFalse();
        on(new Exited(137, null));
        assertThat(supervisor.state()).isEqualTo(AgentState.STOPPED_UNHEALTHY);
    }

    @Test
    void startsTheAgentAgainWhenTheSiteRecovers() {
        startConnected();
        on(new SiteHealth(false, "down"));
        on(new Exited(0, null));
        assertThat(has(tickAfter(Duration.ofMinutes(5)), Spawn.class)).isFalse();
        assertThat(has(on(new SiteHealth(true, "up")), Spawn.class)).isTrue();
    }

    @Test
    void aSiteThatRecoversWhileTheAgentStopsGetsItBackAtOnce() {
        startConnected();
        on(new SiteHealth(false, "down"));
        on(new SiteHealth(true, "up"));
        assertThat(has(on(new Exited(0, null)), Spawn.class)).isTrue();
    }

    @Test
    void aRejectedTokenIsNotRetried() {
        on(new SiteHealth(true, "ok"));
        on(new Started(100));
        List<SupervisorAction> exit = on(new Exited(255, "Provided Tunnel token is not valid."));
        assertThat(supervisor.state()).isEqualTo(AgentState.FAILED);
        assertThat(logs(exit)).anyMatch(l -> l.contains("Provided Tunnel token is not valid.") && l.contains("not restarting"));
        assertThat(supervisor.failure()).contains("token");
        for (int i = 0; i < 100; i++) {
            assertThat(has(tickAfter(Duration.ofSeconds(10)), Spawn.class)).isFalse();
        }
        assertThat(has(on(new SiteHealth(true, "ok")), Spawn.class)).isFalse();
    }

    @Test
    void aCrashWhileTheSiteIsDownWaitsForTheSite() {
        startConnected();
        on(new SiteHealth(false, "down"));
        on(new Exited(1, "crash during stop"));
        assertThat(supervisor.state()).isEqualTo(AgentState.STOPPED_UNHEALTHY);
        assertThat(has(tickAfter(Duration.ofMinutes(2)), Spawn.class)).isFalse();
    }

    @Test
    void drainStopsTheAgentAndResumeStartsItThroughTheHealthGate() {
        startConnected();
        assertThat(has(on(new Drain()), Terminate.class)).isTrue();
        on(new Exited(0, null));
        assertThat(supervisor.state()).isEqualTo(AgentState.DRAINED);
        assertThat(has(on(new SiteHealth(true, "ok")), Spawn.class)).as("healthy but drained").isFalse();
        assertThat(has(on(new Resume()), Spawn.class)).isTrue();
    }

    @Test
    void resumeWhileTheSiteIsDownWaitsForHealth() {
        AgentSupervisor drainedAtBoot = new AgentSupervisor(clock,
                new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(60), () -> 0.5),
                Duration.ofSeconds(35), true);
        assertThat(drainedAtBoot.state()).isEqualTo(AgentState.DRAINED);
        assertThat(has(drainedAtBoot.handle(new Resume()), Spawn.class)).isFalse();
        assertThat(drainedAtBoot.state()).isEqualTo(AgentState.WAITING_FOR_HEALTH);
        assertThat(has(drainedAtBoot.handle(new SiteHealth(true, "ok")), Spawn.class)).isTrue();
    }

    @Test
    void shutdownStopsTheAgentFirstAndCompletesWhenItExits() {
        startConnected();
        List<SupervisorAction> shutdown = on(new Shutdown());
        assertThat(has(shutdown, Terminate.class)).isTrue();
        assertThat(has(shutdown, ShutdownComplete.class)).isFalse();
        assertThat(has(on(new Exited(0, null)), ShutdownComplete.class)).isTrue();
        assertThat(supervisor.state()).isEqualTo(AgentState.SHUTDOWN);
    }

    @Test
    void shutdownWithoutAnAgentCompletesAtOnce() {
        assertThat(has(on(new Shutdown()), ShutdownComplete.class)).isTrue();
    }

    @Test
    void shutdownDuringBackoffDoesNotRestart() {
        startConnected();
        on(new Exited(1, "boom"));
        assertThat(has(on(new Shutdown()), ShutdownComplete.class)).isTrue();
        assertThat(has(tickAfter(Duration.ofSeconds(5)), Spawn.class)).isFalse();
    }
}
