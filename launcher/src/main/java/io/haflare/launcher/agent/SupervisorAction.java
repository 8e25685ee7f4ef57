package io.haflare.launcher.agent;

/** What the supervisor asks the process layer to do. */
public sealed interface SupervisorAction {
    /** Start the agent. */
    record Spawn() implements SupervisorAction {}

    /** SIGTERM: the agent unregisters from the edge and drains. */
    record Terminate() implements SupervisorAction {}

    /** SIGKILL: it did not stop within its bound. */
    record Kill() implements SupervisorAction {}

    /** One line for the node's log. */
    record Log(String level, String message) implements SupervisorAction {}

    /** The agent is gone and the node may stop its server. */
    record ShutdownComplete() implements SupervisorAction {}
}
