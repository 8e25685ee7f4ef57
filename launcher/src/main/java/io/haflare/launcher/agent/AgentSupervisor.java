package io.haflare.launcher.agent;

import io.haflare.launcher.agent.SupervisorAction.Kill;
import io.haflare.launcher.agent.SupervisorAction.Log;
import io.haflare.launcher.agent.SupervisorAction.ShutdownComplete;
import io.haflare.launcher.agent.SupervisorAction.Spawn;
import io.haflare.launcher.agent.SupervisorAction.Terminate;
import io.haflare.launcher.agent.SupervisorEvent.Drain;
import io.haflare.launcher.agent.SupervisorEvent.Exited;
import io.haflare.launcher.agent.SupervisorEvent.Ready;
import io.haflare.launcher.agent.SupervisorEvent.Resume;
import io.haflare.launcher.agent.SupervisorEvent.Shutdown;
import io.haflare.launcher.agent.SupervisorEvent.SiteHealth;
import io.haflare.launcher.agent.SupervisorEvent.StartFailed;
import io.haflare.launcher.agent.SupervisorEvent.Started;
import io.haflare.launcher.agent.SupervisorEvent.Tick;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's life as a pure state machine: events in, actions out, time from an injected clock. No threads,
 * no sleeps, no processes: {@code AgentRunner} does the I/O. The agent runs only while the site is healthy,
 * the node is not drained, and the agent has not been refused as misconfigured.
 */
public final class AgentSupervisor {
    private final Clock clock;
    private final Backoff backoff;
    private final Duration stopBound;

    private AgentState state = AgentState.WAITING_FOR_HEALTH;
    private boolean siteHealthy;
    private boolean drained;
    private boolean shuttingDown;
    private boolean killSent;
    private Instant stopDeadline;
    private Instant restartAt;
    private Instant startedAt;
    private Instant stateSince;
    private long pid = -1;
    private int restarts;
    private Integer lastExit;
    private String lastError;
    private String failure;
    private int readyConnections;

    /** @param stopBound how long a SIGTERMed agent may take before SIGKILL: its grace period + 5 s */
    public AgentSupervisor(Clock clock, Backoff backoff, Duration stopBound, boolean drained) {
        this.clock = clock;
        this.backoff = backoff;
        this.stopBound = stopBound;
        this.drained = drained;
        this.stateSince = clock.instant();
        if (drained) {
            state = AgentState.DRAINED;
        }
    }

    public List<SupervisorAction> handle(SupervisorEvent event) {
        List<SupervisorAction> actions = new ArrayList<>();
        if (event instanceof Tick) {
            onTick(actions);
        } else if (event instanceof SiteHealth h) {
            onSiteHealth(h, actions);
        } else if (event instanceof Started s) {
            pid = s.pid();
            startedAt = clock.instant();
        } else if (event instanceof StartFailed f) {
            crashed(-1, f.reason(), actions);
        } else if (event instanceof Exited e) {
            onExit(e, actions);
        } else if (event instanceof Ready r) {
            onReady(r.connections(), actions);
        } else if (event instanceof Drain) {
            onDrain(actions);
        } else if (event instanceof Resume) {
            onResume(actions);
        } else if (event instanceof Shutdown) {
            onShutdown(actions);
        }
        return actions;
    }

    private void onTick(List<SupervisorAction> actions) {
        Instant now = clock.instant();
        if (state == AgentState.BACKOFF && !now.isBefore(restartAt)) {
            spawn("restarting agent after backoff (restart " + restarts + ")", actions);
        } else if (state == AgentState.STOPPING && !killSent && !now.isBefore(stopDeadline)) {
            killSent = true;
            actions.add(new Log("WRN", "agent pid " + pid + " did not exit within " + seconds(stopBound)
                    + " of SIGTERM; killing it"));
            actions.add(new Kill());
        }
    }

    private void onSiteHealth(SiteHealth h, List<SupervisorAction> actions) {
        siteHealthy = h.healthy();
        if (h.healthy()) {
            if (state == AgentState.WAITING_FOR_HEALTH || state == AgentState.STOPPED_UNHEALTHY) {
                spawn("site healthy: " + h.reason() + "; starting agent", actions);
            } else {
                actions.add(new Log("INF", "site healthy: " + h.reason()));
            }
            return;
        }
        switch (state) {
            case STARTING, NOT_CONNECTED, CONNECTED ->
                    stop("site unhealthy: " + h.reason() + "; stopping agent", actions);
            case BACKOFF -> {
                enter(AgentState.STOPPED_UNHEALTHY);
                actions.add(new Log("WRN", "site unhealthy: " + h.reason() + "; agent stays stopped"));
            }
            default -> actions.add(new Log("WRN", "site unhealthy: " + h.reason()));
        }
    }

    private void onExit(Exited e, List<SupervisorAction> actions) {
        lastExit = e.code();
        if (e.lastError() != null) {
            lastError = e.lastError();
        }
        readyConnections = 0;
        long exitedPid = pid;
        pid = -1;
        if (state == AgentState.STOPPING) {
            actions.add(new Log("INF", "agent pid " + exitedPid + " stopped (exit " + e.code() + ")"));
            afterStop(actions);
            return;
        }
        if (!state.agentRunning()) {
            return; // a stale exit for a process already accounted for
        }
        String fix = AgentFailure.configurationFix(e.code(), e.lastError());
        if (fix != null) {
            failure = fix;
            enter(AgentState.FAILED);
            actions.add(new Log("ERR", "agent exited " + e.code() + ": " + describe(e.lastError())
                    + "; not restarting: " + fix + ". The site keeps serving."));
            return;
        }
        crashed(e.code(), describe(e.lastError()), actions);
    }

    private void crashed(int code, String why, List<SupervisorAction> actions) {
        Instant now = clock.instant();
        Duration ran = startedAt == null ? Duration.ZERO : Duration.between(startedAt, now);
        startedAt = null;
        if (shuttingDown) {
            afterStop(actions);
            return;
        }
        if (!siteHealthy || drained) {
            afterStop(actions);
            return;
        }
        Duration delay = backoff.next(ran);
        restartAt = now.plus(delay);
        restarts++;
        enter(AgentState.BACKOFF);
        actions.add(new Log("WRN", "agent " + (code >= 0 ? "exited " + code : "failed to start") + " after "
                + seconds(ran) + ": " + why + "; restarting in " + seconds(delay)
                + (backoff.attempt() > 1 ? " (crash " + backoff.attempt() + " in a row)" : "")));
    }

    /** Where to go once the agent is gone, by what the node wants now. */
    private void afterStop(List<SupervisorAction> actions) {
        startedAt = null;
        if (shuttingDown) {
            enter(AgentState.SHUTDOWN);
            actions.add(new ShutdownComplete());
        } else if (drained) {
            enter(AgentState.DRAINED);
            actions.add(new Log("INF", "node drained: agent stopped, site still serving"));
        } else if (!siteHealthy) {
            enter(AgentState.STOPPED_UNHEALTHY);
        } else {
            spawn("site healthy again; starting agent", actions);
        }
    }

    private void onReady(int connections, List<SupervisorAction> actions) {
        if (state != AgentState.STARTING && state != AgentState.NOT_CONNECTED && state != AgentState.CONNECTED) {
            return;
        }
        int before = readyConnections;
        readyConnections = connections;
        AgentState next = connections > 0 ? AgentState.CONNECTED : AgentState.NOT_CONNECTED;
        if (next != state) {
            enter(next);
            actions.add(new Log("INF", next == AgentState.CONNECTED
                    ? "agent connected: " + connections + " edge connection" + (connections == 1 ? "" : "s")
                    : "agent running, no edge connection" + (before > 0 ? " any more" : " yet")));
        }
    }

    private void onDrain(List<SupervisorAction> actions) {
        if (drained) {
            return;
        }
        drained = true;
        if (state.agentRunning() && state != AgentState.STOPPING) {
            stop("drain requested; stopping agent (the site keeps serving)", actions);
        } else if (state != AgentState.STOPPING && state != AgentState.SHUTDOWN) {
            enter(AgentState.DRAINED);
            actions.add(new Log("INF", "node drained"));
        }
    }

    private void onResume(List<SupervisorAction> actions) {
        if (!drained) {
            return;
        }
        drained = false;
        if (state != AgentState.DRAINED) {
            return; // still stopping: afterStop decides
        }
        if (siteHealthy) {
            spawn("resumed; site healthy; starting agent", actions);
        } else {
            enter(AgentState.WAITING_FOR_HEALTH);
            actions.add(new Log("INF", "resumed; waiting for the site to pass its health probe"));
        }
    }

    private void onShutdown(List<SupervisorAction> actions) {
        if (shuttingDown) {
            return;
        }
        shuttingDown = true;
        if (state == AgentState.STOPPING) {
            return;
        }
        if (state.agentRunning()) {
            stop("node shutting down; stopping agent first", actions);
        } else {
            enter(AgentState.SHUTDOWN);
            actions.add(new ShutdownComplete());
        }
    }

    private void spawn(String why, List<SupervisorAction> actions) {
        enter(AgentState.STARTING);
        readyConnections = 0;
        actions.add(new Log("INF", why));
        actions.add(new Spawn());
    }

    private void stop(String why, List<SupervisorAction> actions) {
        enter(AgentState.STOPPING);
        killSent = false;
        stopDeadline = clock.instant().plus(stopBound);
        actions.add(new Log(siteHealthy || drained || shuttingDown ? "INF" : "WRN", why));
        actions.add(new Terminate());
    }

    private void enter(AgentState next) {
        if (next != state) {
            state = next;
            stateSince = clock.instant();
        }
    }

    private static String describe(String lastError) {
        return lastError == null || lastError.isBlank() ? "no error output" : lastError;
    }

    static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    public AgentState state() {
        return state;
    }

    public Instant stateSince() {
        return stateSince;
    }

    public long pid() {
        return pid;
    }

    public int restarts() {
        return restarts;
    }

    public Integer lastExit() {
        return lastExit;
    }

    public String lastError() {
        return lastError;
    }

    /** Why the agent was refused as misconfigured and how to fix it, when FAILED. */
    public String failure() {
        return failure;
    }

    public int readyConnections() {
        return readyConnections;
    }

    public boolean drained() {
        return drained;
    }

    public Instant startedAt() {
        return startedAt;
    }
}
