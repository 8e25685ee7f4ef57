package io.haflare.launcher.agent;

/** Where the agent is, in the design's vocabulary. */
public enum AgentState {
    /** The site has not passed its health probe yet: no agent, so no 502 window at boot. */
    WAITING_FOR_HEALTH,
    /** Spawned; its metrics server has not answered yet. */
    STARTING,
    /** Running, no edge connection yet (/ready 503). */
    NOT_CONNECTED,
    /** At least one edge connection registered. */
    CONNECTED,
    /** SIGTERM sent; waiting for it to drain and exit (then SIGKILL after the bound). */
    STOPPING,
    /** Stopped because the site is unhealthy; starts again when it recovers. */
    STOPPED_UNHEALTHY,
    /** Crashed; restarts after a delay. */
    BACKOFF,
    /** Taken out of rotation by the operator. */
    DRAINED,
    /** Refused by the agent as misconfigured (bad token, bad arguments): not restarted until fixed. */
    FAILED,
    /** The node is shutting down and the agent is gone. */
    SHUTDOWN;

    public boolean agentRunning() {
        return this == STARTING || this == NOT_CONNECTED || this == CONNECTED || this == STOPPING;
    }
}
