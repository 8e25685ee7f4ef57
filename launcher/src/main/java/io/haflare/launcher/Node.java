package io.haflare.launcher;

import io.haflare.launcher.agent.AgentBinary;
import io.haflare.launcher.agent.AgentCommand;
import io.haflare.launcher.agent.AgentPidFile;
import io.haflare.launcher.agent.AgentRunner;
import io.haflare.launcher.agent.AgentSupervisor;
import io.haflare.launcher.agent.DataDirLock;
import io.haflare.launcher.agent.Backoff;
import io.haflare.launcher.agent.ParentDeathSignal;
import io.haflare.launcher.agent.SupervisorEvent;
import io.haflare.launcher.agent.OtherAgents;
import io.haflare.launcher.agent.TunnelToken;
import io.haflare.launcher.cli.ShutdownSignals;
import io.haflare.launcher.cli.UsageException;
import io.haflare.launcher.config.ConfigException;
import io.haflare.launcher.config.NodeConfig;
import io.haflare.launcher.health.HealthGate;
import io.haflare.launcher.health.HealthProbe;
import io.haflare.launcher.health.ProbePace;
import io.haflare.launcher.health.SiteMonitor;
import io.haflare.launcher.cli.AdminSettings;
import io.haflare.launcher.cli.ListenAddress;
import io.haflare.launcher.cli.VersionProvider;
import io.haflare.launcher.status.DrainFile;
import io.haflare.launcher.status.NodeStatus;
import io.haflare.launcher.log.NodeLog;
import io.haflare.server.ServerStartException;
import io.haflare.server.SiteConfig;
import io.haflare.server.SiteServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One node's life: check everything that can be wrong before binding a port, serve the site, supervise the
 * agent once the site is healthy, and on SIGTERM stop the agent first (it leaves the edge and drains), then
 * the site.
 */
public final class Node {
    private static final Duration IN_FLIGHT_BOUND = Duration.ofSeconds(10);
    private static final Duration KILL_MARGIN = Duration.ofSeconds(5);

    private Node() {
    }

    /** The agent, when the node has a tunnel to serve: what to run and how. */
    private record Agent(AgentRunner.Settings settings, NodeConfig.Tunnel tunnel, DataDirLock lock) {}

    public static int run(NodeConfig config, SiteConfig site, boolean tunnelWanted, Path dataDir, String name,
                          Map<String, String> env, Path workingDir) throws Exception {
        Agent agent = tunnelWanted && config.tunnel().enabled() ? prepareAgent(config, dataDir, env, workingDir) : null;
        String localMode = agent != null ? null : !tunnelWanted ? "`serve` runs the site only"
                : !config.tunnel().enabled() ? "tunnel disabled (--no-tunnel / tunnel.enabled: false)"
                : "no tunnel token configured";
        DrainFile drain = new DrainFile(dataDir);
        NodeStatus status = new NodeStatus(name, VersionProvider.version(), site.root(), drain, localMode);
        SiteServer.AdminListener admin = AdminSettings.listener(config.admin(), workingDir, status);
        NodeLog.quietLibraries();
        ShutdownSignals signals = ShutdownSignals.install();
        SiteServer server;
        try {
            server = SiteServer.start(site, message -> NodeLog.warn("server", message), admin);
        } catch (ServerStartException e) {
            throw new UsageException(e.getMessage());
        }
        String siteAddress = new ListenAddress(site.host(), server.address().getPort()).toString(); // the port bound
        NodeLog.info("server", "serving " + (site.root() == null ? "the embedded welcome page (no --site, no ./public)"
                : site.root()) + " on http://" + siteAddress);
        if (!server.address().getAddress().isLoopbackAddress()) {
            NodeLog.warn("server", siteAddress + " is not a loopback"
                    + " address: the site is reachable without Cloudflare (no WAF, no cache, the origin's address"
                    + " exposed) from every network it is on; cloudflared needs only 127.0.0.1 (site.listen / --listen)");
        }
        if (server.adminAddress() != null) {
            NodeLog.info("admin", "admin API on http://" + new ListenAddress(admin.host(), server.adminAddress().getPort())
                    + " (GET /health /status, POST /drain /resume)");
        }
        NodeConfig.Health health = config.health();
        SiteMonitor monitor = new SiteMonitor(new HealthProbe(site.host(), server.address().getPort(), health.path(),
                health.timeout(), server.probeHeader()), new HealthGate(health.failureThreshold(), health.successThreshold()),
                new ProbePace(health.interval(), health.recheckInterval()));
        server.metrics().onFailedResponse(monitor::suspect);
        AgentRunner runner = agent == null ? null : startAgent(agent, siteAddress, health, monitor, drain.isSet());
        status.attach(monitor, runner, server);
        monitor.start();
        if (runner != null) {
            signals.beforeForcedExit(runner::killNow);
        }
        signals.await();
        monitor.close();
        if (runner != null) {
            Duration bound = agent.tunnel().gracePeriod().plus(KILL_MARGIN).plusSeconds(2);
            try {
                runner.shutdown().get(bound.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                NodeLog.warn("node", "agent did not stop within " + bound.toSeconds() + " s; stopping the site anyway");
            }
            agent.lock().close();
        }
        NodeLog.info("server", "stopping: finishing in-flight requests (up to " + IN_FLIGHT_BOUND.toSeconds() + " s)");
        server.stop(IN_FLIGHT_BOUND);
        NodeLog.info("server", "stopped");
        return signals.exitCode();
    }

    private static Agent prepareAgent(NodeConfig config, Path dataDir, Map<String, String> env, Path workingDir) {
        NodeConfig.Tunnel tunnel = config.tunnel();
        Path tokenFile = tunnel.tokenFile() == null ? null : workingDir.resolve(tunnel.tokenFile());
        TunnelToken token;
        try {
            token = TunnelToken.find(tokenFile, env);
        } catch (TunnelToken.TokenException e) {
            throw new ConfigException(e.getMessage());
        }
        if (token == null) {
            NodeLog.info("node", "no tunnel token (TUNNEL_TOKEN, TUNNEL_TOKEN_FILE or tunnel.tokenFile):"
                    + " local mode, serving the site without cloudflared");
            return null;
        }
        String argsProblem = AgentCommand.problemWith(tunnel.agentArgs());
        if (argsProblem != null) {
            throw new ConfigException(argsProblem);
        }
        if (token.exposure() != null) {
            NodeLog.warn("node", token.exposure());
        }
        String shape = token.shapeProblem();
        if (shape != null) {
            NodeLog.warn("node", shape + "; the agent will most likely refuse it");
        }
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new ConfigException("cannot create the data directory " + dataDir + ": " + e.getMessage()
                    + " (set node.dataDir / --data-dir to a writable directory)");
        }
        DataDirLock lock = lock(dataDir);
        AgentBinary.Resolved binary = AgentBinary.resolve(tunnel.cloudflared() == null ? null
                : workingDir.resolve(tunnel.cloudflared()), dataDir, env.get("PATH"));
        String version = AgentBinary.version(binary.path());
        NodeLog.info("node", "agent binary " + binary.path() + " (" + binary.source() + "): " + version);
        if (!AgentBinary.isCloudflaredVersion(version)) {
            NodeLog.warn("node", "the agent binary's --version did not say 'cloudflared version ...': is "
                    + binary.path() + " cloudflared? (tunnel.cloudflared / --cloudflared)");
        }
        AgentPidFile pidFile = new AgentPidFile(dataDir);
        pidFile.reapStale(tunnel.gracePeriod().plus(KILL_MARGIN), message -> NodeLog.warn("node", message));
        if (shape == null) {
            // once this data directory's orphan is gone (it would be taken for another's); beside the start, not
            // in its way: reading every process's command line takes a while on a busy machine
            Thread scan = new Thread(() -> OtherAgents.find(token.tunnelId(), dataDir)
                    .forEach(other -> NodeLog.warn("node", other.describe(token.tunnelId()))), "other-agents");
            scan.setDaemon(true);
            scan.start();
        }
        ParentDeathSignal parentDeath = ParentDeathSignal.detect();
        if (parentDeath.missingWarning() != null) {
            NodeLog.warn("node", parentDeath.missingWarning());
        }
        return new Agent(new AgentRunner.Settings(binary.path(), token, tunnel.gracePeriod(), tunnel.agentArgs(),
                pidFile, parentDeath), tunnel, lock);
    }

    private static DataDirLock lock(Path dataDir) {
        try {
            return DataDirLock.acquire(dataDir);
        } catch (DataDirLock.Held e) {
            throw new UsageException("another node" + e.pid().map(pid -> " (pid " + pid + ")").orElse("")
                    + " is running with the data directory " + dataDir + ": stop it first, or give this one its own"
                    + " (--data-dir DIR, node.dataDir)");
        } catch (IOException e) {
            throw new ConfigException("cannot lock the data directory " + dataDir + ": " + e.getMessage()
                    + " (set node.dataDir / --data-dir to a writable directory)");
        }
    }

    private static AgentRunner startAgent(Agent agent, String siteListen, NodeConfig.Health health,
                                          SiteMonitor monitor, boolean drained) {
        NodeConfig.Restart restart = agent.tunnel().restart();
        AgentSupervisor supervisor = new AgentSupervisor(Clock.systemUTC(),
                new Backoff(restart.initialDelay(), restart.maxDelay(), restart.resetAfter(),
                        () -> ThreadLocalRandom.current().nextDouble()),
                agent.tunnel().gracePeriod().plus(KILL_MARGIN), drained);
        AgentRunner runner = new AgentRunner(supervisor, agent.settings(), siteListen);
        if (health.gate()) {
            monitor.listen((healthy, reason) -> runner.post(new SupervisorEvent.SiteHealth(healthy, reason)));
        } else {
            NodeLog.warn("supervisor", "health gate off (health.gate: false): the agent runs whatever the site answers,"
                    + " and visitors routed here get its errors");
            runner.post(new SupervisorEvent.SiteHealth(true, "health gate off"));
        }
        runner.start();
        if (drained) {
            NodeLog.warn("supervisor", "the node is drained (since before this start): the agent stays stopped"
                    + " until `haflare-node resume`");
        } else if (health.gate()) {
            NodeLog.info("supervisor", "waiting for the site to pass " + health.successThreshold()
                    + " health probes (GET " + health.path() + ") before starting the agent");
        }
        return runner;
    }
}
