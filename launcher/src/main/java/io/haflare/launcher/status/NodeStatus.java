package io.haflare.launcher.status;

import io.haflare.launcher.cli.ListenAddress;
import io.haflare.launcher.agent.AgentRunner;
import io.haflare.launcher.agent.AgentSnapshot;
import io.haflare.launcher.agent.AgentState;
import io.haflare.launcher.agent.SupervisorEvent;
import io.haflare.launcher.health.SiteMonitor;
import io.haflare.launcher.log.NodeLog;
import io.haflare.server.admin.Json;
import io.haflare.server.admin.NodeView;
import io.haflare.server.SiteServer;
import io.haflare.server.net.ConnectionReclaim;
import io.haflare.server.net.StallTimeout;
import io.haflare.server.files.Release;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the admin API and `haflare-node status` show: the site's health, the agent's state, drain. Never the
 * token: nothing here has it. The monitor and runner are attached once the server is listening.
 */
public final class NodeStatus implements NodeView {
    private final String name;
    private final String version;
    private final Instant started = Instant.now();
    private final Path siteRoot;
    private final DrainFile drainFile;
    private final String localModeReason;
    private volatile SiteMonitor monitor;
    private volatile AgentRunner runner;
    private volatile SiteServer server;

    /** @param localModeReason why no agent runs (no token, tunnel disabled), or null when one does */
    public NodeStatus(String name, String version, Path siteRoot, DrainFile drainFile, String localModeReason) {
        this.name = name;
        this.version = version;
        this.siteRoot = siteRoot;
        this.drainFile = drainFile;
        this.localModeReason = localModeReason;
    }

    public void attach(SiteMonitor siteMonitor, AgentRunner agentRunner, SiteServer siteServer) {
        this.monitor = siteMonitor;
        this.runner = agentRunner;
        this.server = siteServer;
    }

    @Override
    public Health health() {
        List<String> reasons = new ArrayList<>();
        SiteMonitor m = monitor;
        if (m == null) {
            return new Health(false, List.of("node starting"));
        }
        List<SiteMonitor.Probe> probes = m.recent();
        String last = probes.isEmpty() ? "not probed yet" : probes.get(0).description();
        boolean healthy = m.healthy();
        reasons.add((healthy ? "site healthy: " : "site unhealthy: ") + last);
        AgentRunner r = runner;
        if (r == null) {
            reasons.add("local mode: " + localModeReason);
            return new Health(healthy, reasons);
        }
        AgentSnapshot a = r.snapshot();
        boolean agentOk;
        switch (a.state()) {
            case CONNECTED -> {
                agentOk = true;
                reasons.add("agent connected: " + a.readyConnections() + " edge connection"
                        + (a.readyConnections() == 1 ? "" : "s") + locations(a));
            }
            case DRAINED -> {
                agentOk = true;
                reasons.add("drained: the agent is stopped on purpose, the node is out of rotation");
            }
            case FAILED -> {
                agentOk = false;
                reasons.add("agent refused: " + a.failure());
            }
            case BACKOFF -> {
                agentOk = false;
                reasons.add("agent crashed (exit " + a.lastExit() + ": " + a.lastError() + "); restart pending");
            }
            case STOPPING -> {
                agentOk = a.drained();
                reasons.add(a.drained() ? "draining: the agent is leaving the edge on purpose"
                        : "agent stopping: leaving the edge");
            }
            case STOPPED_UNHEALTHY -> {
                agentOk = false;
                reasons.add("agent stopped while the site is unhealthy");
            }
            default -> {
                agentOk = false;
                reasons.add("agent " + a.state() + ": no edge connection");
            }
        }
        return new Health(healthy && agentOk, reasons);
    }

    private static String locations(AgentSnapshot a) {
        return a.locations().isEmpty() ? "" : " (" + String.join(", ", a.locations()) + ")";
    }

    @Override
    public String statusJson() {
        return Json.write(document());
    }

    Map<String, Object> document() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("node", name);
        doc.put("pid", ProcessHandle.current().pid());
        doc.put("version", version);
        doc.put("startedAt", started.toString());
        doc.put("uptimeSeconds", Duration.between(started, Instant.now()).toSeconds());
        Health health = health();
        doc.put("healthy", health.healthy());
        doc.put("reasons", health.reasons());
        Map<String, Object> site = new LinkedHashMap<>();
        SiteServer s = server;
        site.put("listen", s == null ? null : new ListenAddress(s.address().getAddress().getHostAddress(),
                s.address().getPort()).toString());
        site.put("root", siteRoot == null ? null : siteRoot.toString());
        site.put("release", release());
        site.put("fingerprint", fingerprint());
        SiteMonitor m = monitor;
        site.put("healthy", m != null && m.healthy());
        List<Map<String, Object>> probes = new ArrayList<>();
        if (m != null) {
            for (SiteMonitor.Probe p : m.recent()) {
                Map<String, Object> probe = new LinkedHashMap<>();
                probe.put("at", p.at().toString());
                probe.put("ok", p.ok());
                probe.put("result", p.description());
                probes.add(probe);
            }
        }
        site.put("probes", probes);
        if (s != null) {
            site.put("connections", connectionsDocument(s.connections(), s.stalls()));
        }
        doc.put("site", site);
        doc.put("drained", drainFile.isSet());
        doc.put("agent", agent());
        doc.put("timeline", timeline());
        return doc;
    }

    /** The last hour as bands: when each site verdict and agent state began. */
    private Map<String, Object> timeline() {
        Map<String, Object> timeline = new LinkedHashMap<>();
        Instant now = Instant.now();
        timeline.put("from", now.minus(Duration.ofHours(1)).toString());
        timeline.put("now", now.toString());
        List<Map<String, Object>> site = new ArrayList<>();
        SiteMonitor m = monitor;
        if (m != null) {
            m.verdicts().forEach(e -> site.add(entry(e.at(), "healthy", e.value())));
        }
        timeline.put("site", site);
        List<Map<String, Object>> agent = new ArrayList<>();
        AgentRunner r = runner;
        if (r != null) {
            r.stateTimeline().forEach(e -> agent.add(entry(e.at(), "state", e.value())));
        }
        timeline.put("agent", agent);
        return timeline;
    }

    private static Map<String, Object> entry(Instant at, String key, Object value) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("at", at.toString());
        entry.put(key, value);
        return entry;
    }

    private Map<String, Object> agent() {
        Map<String, Object> agent = new LinkedHashMap<>();
        AgentRunner r = runner;
        if (r == null) {
            agent.put("mode", "local");
            agent.put("reason", localModeReason);
            return agent;
        }
        AgentSnapshot a = r.snapshot();
        agent.put("mode", "tunnel");
        agent.put("state", a.state().name());
        agent.put("since", a.since().toString());
        agent.put("pid", a.pid() > 0 ? a.pid() : null);
        agent.put("startedAt", a.startedAt() == null ? null : a.startedAt().toString());
        agent.put("restarts", a.restarts());
        agent.put("lastExit", a.lastExit());
        agent.put("lastError", a.lastError());
        agent.put("failure", a.failure());
        agent.put("readyConnections", a.readyConnections());
        agent.put("connectorId", a.connectorId());
        agent.put("edgeLocations", a.locations());
        agent.put("events", r.recentEvents());
        return agent;
    }

    /** The content fingerprint of the release served now, or null while it is computed. */
    private String fingerprint() {
        SiteServer s = server;
        Release release = s == null ? null : s.currentRelease();
        return release == null ? null : release.fingerprint();
    }

    private static Map<String, Object> connectionsDocument(ConnectionReclaim c, StallTimeout stalls) {
        Map<String, Object> connections = new LinkedHashMap<>();
        connections.put("open", c.open());
        connections.put("limit", c.limit());
        connections.put("accepted", c.accepted());
        connections.put("reclaimed", c.reclaimed());
        connections.put("stalled", stalls.stalled());
        return connections;
    }

    /**
     * The site listener's connections, as the compact view shows them; what was closed to make room when full, and
     * because nothing moved.
     */
    private String connections() {
        SiteServer s = server;
        if (s == null) {
            return "";
        }
        ConnectionReclaim c = s.connections();
        long stalled = s.stalls().stalled();
        return "  connections " + c.open() + " of " + c.limit()
                + (c.reclaimed() > 0 ? ", " + c.reclaimed() + " idle closed to make room" : "")
                + (stalled > 0 ? ", " + stalled + " closed stalled" : "");
    }

    /** Where the root points now: the release directory behind a `current` symlink. */
    private String release() {
        if (siteRoot == null) {
            return null;
        }
        try {
            return siteRoot.toRealPath().toString();
        } catch (IOException e) {
            return null;
        }
    }

    /** The compact view `haflare-node status` prints: one line for the site, one for the agent, then events. */
    public String statusText() {
        StringBuilder out = new StringBuilder();
        String release = release();
        String fingerprint = fingerprint();
        Duration up = Duration.between(started, Instant.now());
        out.append("node   ").append(name).append(" (haflare-node ").append(version).append("), up ")
                .append(up.toHours()).append("h ").append(up.toMinutesPart()).append("m ").append(up.toSecondsPart()).append("s")
                .append(drainFile.isSet() ? ", DRAINED" : "").append('\n');
        SiteMonitor m = monitor;
        List<SiteMonitor.Probe> probes = m == null ? List.of() : m.recent();
        out.append("site   ").append(m != null && m.healthy() ? "healthy  " : "UNHEALTHY")
                .append(' ').append(siteRoot == null ? "(welcome page)" : siteRoot)
                .append(release != null && siteRoot != null && !release.equals(siteRoot.toString()) ? " -> " + release : "")
                .append(fingerprint == null ? "" : "  " + fingerprint.substring(0, Math.min(19, fingerprint.length())))
                .append(probes.isEmpty() ? "" : "  last probe: " + probes.get(0).description())
                .append(connections()).append('\n');
        AgentRunner r = runner;
        if (r == null) {
            out.append("agent  none: ").append(localModeReason).append('\n');
        } else {
            AgentSnapshot a = r.snapshot();
            out.append("agent  ").append(a.state()).append(a.state() == AgentState.CONNECTED
                    ? " " + a.readyConnections() + " connections" + locations(a) : "")
                    .append(a.pid() > 0 ? ", pid " + a.pid() : "").append(", restarts ").append(a.restarts())
                    .append(a.lastExit() == null ? "" : ", last exit " + a.lastExit())
                    .append(a.lastError() == null ? "" : ", last error: " + a.lastError()).append('\n');
            List<String> events = r.recentEvents();
            if (!events.isEmpty()) {
                out.append("recent\n");
                events.stream().limit(8).forEach(e -> out.append("  ").append(e).append('\n'));
            }
        }
        return out.toString();
    }

    @Override
    public String metricsText() {
        StringBuilder out = new StringBuilder(4096);
        SiteServer s = server;
        if (s != null) {
            s.metrics().appendTo(out);
            s.connections().appendTo(out);
            s.stalls().appendTo(out);
        }
        String fingerprint = fingerprint();
        if (fingerprint != null) {
            out.append("# HELP haflare_content_info The content fingerprint and release this node serves.\n");
            out.append("# TYPE haflare_content_info gauge\n");
            out.append("haflare_content_info{fingerprint=\"").append(fingerprint).append("\",release=\"")
                    .append(String.valueOf(release()).replace("\\", "\\\\").replace("\"", "\\\"")).append("\"} 1\n");
        }
        SiteMonitor m = monitor;
        List<SiteMonitor.Probe> probes = m == null ? List.of() : m.recent();
        gauge(out, "haflare_site_healthy", "1 while the site passes its health probe.", m != null && m.healthy() ? 1 : 0);
        gauge(out, "haflare_site_probe_duration_seconds", "Duration of the last health probe.",
                probes.isEmpty() ? 0 : probes.get(0).millis() / 1000.0);
        gauge(out, "haflare_node_drained", "1 while the node is drained (out of rotation on purpose).", drainFile.isSet() ? 1 : 0);
        AgentRunner agent = runner;
        AgentSnapshot a = agent == null ? null : agent.snapshot();
        gauge(out, "haflare_agent_up", "1 while a cloudflared process runs.", a != null && a.pid() > 0 ? 1 : 0);
        gauge(out, "haflare_agent_ready_connections", "Edge connections the agent reports on /ready.",
                a == null ? 0 : a.readyConnections());
        out.append("# HELP haflare_agent_restarts_total Restarts after the agent crashed.\n");
        out.append("# TYPE haflare_agent_restarts_total counter\n");
        out.append("haflare_agent_restarts_total ").append(a == null ? 0 : a.restarts()).append('\n');
        out.append("# HELP haflare_agent_state The supervisor's state: 1 for the current one.\n");
        out.append("# TYPE haflare_agent_state gauge\n");
        for (AgentState state : AgentState.values()) {
            out.append("haflare_agent_state{state=\"").append(state.name()).append("\"} ")
                    .append(a != null && a.state() == state ? 1 : 0).append('\n');
        }
        java.lang.management.MemoryMXBean memory = java.lang.management.ManagementFactory.getMemoryMXBean();
        out.append("# HELP haflare_jvm_memory_used_bytes JVM memory in use.\n");
        out.append("# TYPE haflare_jvm_memory_used_bytes gauge\n");
        out.append("haflare_jvm_memory_used_bytes{area=\"heap\"} ").append(memory.getHeapMemoryUsage().getUsed()).append('\n');
        out.append("haflare_jvm_memory_used_bytes{area=\"nonheap\"} ").append(memory.getNonHeapMemoryUsage().getUsed()).append('\n');
        return out.toString();
    }

    private static void gauge(StringBuilder out, String name, String help, double value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" gauge\n");
        out.append(name).append(' ').append(value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value)).append('\n');
    }

    @Override
    public void drain() {
        drainFile.set();
        NodeLog.info("node", "drain requested through the admin API");
        AgentRunner r = runner;
        if (r != null) {
            r.post(new SupervisorEvent.Drain());
        }
    }

    @Override
    public void resume() {
        drainFile.clear();
        NodeLog.info("node", "resume requested through the admin API");
        AgentRunner r = runner;
        if (r != null) {
            r.post(new SupervisorEvent.Resume());
        }
    }
}
