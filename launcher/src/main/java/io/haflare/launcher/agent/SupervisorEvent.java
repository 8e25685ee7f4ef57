package io.haflare.launcher.agent;

/** What the supervisor reacts to. Each carries what it needs; time comes from the clock. */
public sealed interface SupervisorEvent {
    /** Time passed: timers (backoff, kill bound) may fire. */
    record Tick() implements SupervisorEvent {}

    /** The health gate changed its verdict on the site. */
    record SiteHealth(boolean healthy, String reason) implements SupervisorEvent {}

    /** The process layer started the agent. */
    record Started(long pid) implements SupervisorEvent {}

    /** The process layer could not start the agent at all. */
    record StartFailed(String reason) implements SupervisorEvent {}

    /** The agent exited; lastError is its last ERR/FTL line or stderr text, may be null. */
    record Exited(int code, String lastError) implements SupervisorEvent {}

    /** The agent's /ready answered: how many edge connections it holds. */
    record Ready(int connections) implements SupervisorEvent {}

    record Drain() implements SupervisorEvent {}

    record Resume() implements SupervisorEvent {}

    record Shutdown() implements SupervisorEvent {}
}
