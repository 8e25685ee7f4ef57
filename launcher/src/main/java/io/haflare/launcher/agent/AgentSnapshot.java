package io.haflare.launcher.agent;

import java.time.Instant;
import java.util.List;

/** The supervisor's state as of its last event, published for readers on other threads (status, health). */
public record AgentSnapshot(AgentState state, Instant since, long pid, Instant startedAt, int restarts,
                            Integer lastExit, String lastError, String failure, int readyConnections,
                            boolean drained, List<String> locations, String connectorId) {

    static AgentSnapshot of(AgentSupervisor s, List<String> locations, String connectorId) {
        return new AgentSnapshot(s.state(), s.stateSince(), s.pid(), s.startedAt(), s.restarts(), s.lastExit(),
                s.lastError(), s.failure(), s.readyConnections(), s.drained(), locations, connectorId);
    }
}
