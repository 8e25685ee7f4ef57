package io.haflare.launcher.agent;

import io.haflare.launcher.agent.SupervisorAction.Kill;
import io.haflare.launcher.agent.SupervisorAction.Log;
import io.haflare.launcher.agent.SupervisorAction.ShutdownComplete;
import io.haflare.launcher.agent.SupervisorAction.Spawn;
import io.haflare.launcher.agent.SupervisorAction.Terminate;
import io.haflare.launcher.log.NodeLog;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the supervisor: one thread takes events (probe verdicts, agent exits, readiness, ticks every 100 ms)
 * and carries out the actions the state machine returns. All process I/O happens here, none in the machine.
 */
public final class AgentRunner {
    private static final long TICK_MILLIS = 100;
    private static final long READY_POLL_MILLIS = 500;

    /** What the runner needs to start the agent. */
    public record Settings(Path binary, TunnelToken token, Duration gracePeriod, List<String> agentArgs,
                           AgentPidFile pidFile, ParentDeathSignal parentDeath) {}

    private final AgentSupervisor supervisor;
    private final Settings settings;
    private final String siteListen;
    private final BlockingQueue<SupervisorEvent> events = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "agent-probes");
        t.setDaemon(true);
        return t;
    });
    private volatile AgentProcess agent;
    private volatile AgentOutput output;
    private volatile int metricsPort = -1;
    private volatile int lastReady = -1;
    private volatile AgentSnapshot snapshot;
    private final io.haflare.launcher.health.Timeline<String> states = new io.haflare.launcher.health.Timeline<>(Duration.ofHours(1));
    private final java.util.Deque<String> recentLog = new java.util.concurrent.ConcurrentLinkedDeque<>();

    /** siteListen: the address the site is bound to, for the operator's hints. */
    public AgentRunner(AgentSupervisor supervisor, Settings settings, String siteListen) {
        this.supervisor = supervisor;
        this.settings = settings;
        this.siteListen = siteListen;
        this.snapshot = AgentSnapshot.of(supervisor, List.of(), null);
        states.record(supervisor.state().name());
    }

    public void start() {
        Thread loop = new Thread(this::loop, "agent-supervisor");
        loop.setDaemon(true);
        loop.start();
        scheduler.scheduleWithFixedDelay(this::pollReady, READY_POLL_MILLIS, READY_POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Asks the agent to stop first; completes once it is gone. */
    public CompletableFuture<Void> shutdown() {
        events.add(new SupervisorEvent.Shutdown());
        return stopped;
    }

    /** SIGKILL the agent now, for a forced exit of the node: better a dead connection than an orphan replica. */
    public void killNow() {
        AgentProcess a = agent;
        if (a != null && a.isAlive()) {
            NodeLog.warn("supervisor", "killing agent pid " + a.pid() + " (forced exit)");
            a.kill();
            settings.pidFile().clear();
        }
    }

    public void post(SupervisorEvent event) {
        events.add(event);
    }

    /**
     * The agent runs only while the site passes its probe, so an agent that cannot reach its origin is most
     * often pointed elsewhere: the tunnel's public hostname in the dashboard (a port from an earlier setup).
     */
    static String unreachableOriginHint(String siteListen) {
        String port = siteListen.substring(siteListen.lastIndexOf(':') + 1);
        return "cloudflared cannot reach the origin service its tunnel names, while this node's site is up on "
                + siteListen + ": in the Cloudflare dashboard the tunnel's public hostname must point at"
                + " http://localhost:" + port + ", the same on every node (the agent answers visitors 502 meanwhile)";
    }

    private void loop() {
        try {
            while (!stopped.isDone()) {
                SupervisorEvent event = events.poll(TICK_MILLIS, TimeUnit.MILLISECONDS);
                execute(supervisor.handle(event == null ? new SupervisorEvent.Tick() : event));
                AgentOutput out = output;
                snapshot = AgentSnapshot.of(supervisor, locations(), out == null ? null : out.connectorId());
                states.record(supervisor.state().name());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            NodeLog.error("supervisor", "stopped by an unexpected error: " + e);
            stopped.completeExceptionally(e);
        } finally {
            scheduler.shutdownNow();
        }
    }

    private void execute(List<SupervisorAction> actions) {
        for (SupervisorAction action : actions) {
            if (action instanceof Log log) {
                NodeLog.log(log.level(), "supervisor", log.message());
                remember(log.level() + " " + log.message());
            } else if (action instanceof Spawn) {
                spawn();
            } else if (action instanceof Terminate) {
                AgentProcess a = agent;
                if (a != null) {
                    a.terminate();
                }
            } else if (action instanceof Kill) {
                AgentProcess a = agent;
                if (a != null) {
                    a.kill();
                }
            } else if (action instanceof ShutdownComplete) {
                settings.pidFile().clear();
                stopped.complete(null);
            }
        }
    }

    private void spawn() {
        try {
            int port = freePort();
            // spawned from this loop's thread, which lives as long as the supervisor: its end is the parent's death
            List<String> command = settings.parentDeath().wrap(AgentCommand.build(settings.binary().toString(), port,
                    settings.gracePeriod(), settings.agentArgs()));
            AgentOutput out = new AgentOutput(settings.token().reveal());
            output = out;
            metricsPort = port;
            lastReady = -1;
            AgentProcess started = AgentProcess.start(command, settings.token(), out, line -> {
                        NodeLog.log(line.level(), "agent", line.message());
                        if (out.firstUnreachableOrigin(line)) {
                            String hint = unreachableOriginHint(siteListen);
                            NodeLog.warn("supervisor", hint);
                            remember("WRN " + hint); // in `status` too, where an operator looks first
                        }
                    },
                    code -> events.add(new SupervisorEvent.Exited(code, out.lastError())));
            agent = started;
            settings.pidFile().write(started.handle());
            NodeLog.info("supervisor", "agent started: pid " + started.pid() + ", metrics on 127.0.0.1:" + port);
            execute(supervisor.handle(new SupervisorEvent.Started(started.pid())));
        } catch (IOException e) {
            execute(supervisor.handle(new SupervisorEvent.StartFailed(settings.binary() + ": " + e.getMessage())));
        }
    }

    private void pollReady() {
        AgentProcess a = agent;
        if (a == null || !a.isAlive() || metricsPort < 0) {
            return;
        }
        int ready = ReadyProbe.readyConnections(metricsPort);
        if (ready >= 0 && ready != lastReady) {
            lastReady = ready;
            events.add(new SupervisorEvent.Ready(ready));
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void remember(String line) {
        recentLog.addFirst(java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + " " + line);
        while (recentLog.size() > 20) {
            recentLog.pollLast();
        }
    }

    /** The supervisor's latest log lines, newest first. */
    public List<String> recentEvents() {
        return List.copyOf(recentLog);
    }

    /** The agent's state changes of the last hour. */
    public List<io.haflare.launcher.health.Timeline.Entry<String>> stateTimeline() {
        return states.entries();
    }

    /** The supervisor's state as of its last event. */
    public AgentSnapshot snapshot() {
        return snapshot;
    }

    /** Edge locations the agent reports connections to, from its log. */
    public List<String> locations() {
        AgentOutput out = output;
        AgentProcess a = agent;
        return out == null || a == null || !a.isAlive() ? List.of() : out.locations();
    }
}
