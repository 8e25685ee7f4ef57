package io.haflare.launcher.cli;

import io.haflare.launcher.agent.AgentBinary;
import io.haflare.launcher.agent.AgentCommand;
import io.haflare.launcher.agent.OtherAgents;
import io.haflare.launcher.agent.TunnelToken;
import io.haflare.launcher.config.ConfigException;
import io.haflare.launcher.config.ConfigLoader;
import io.haflare.launcher.config.NodeConfig;
import io.haflare.launcher.deploy.BuildOutput;
import io.haflare.launcher.status.DrainFile;
import io.haflare.server.files.SiteRules;
import io.haflare.server.net.BindFailure;
import io.haflare.server.rules.RuleProblem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * haflare-node check: validates configuration, site, listen and admin addresses, token shape and agent binary
 * without starting anything; prints every finding and the effective configuration. Exit 0 when all is well, else 1.
 */
@Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = "Validate configuration, site, ports, token and agent without starting anything.")
public final class CheckCommand implements Callable<Integer> {
    @Mixin
    NodeOptions options = new NodeOptions();

    private final Path workingDir;
    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    public CheckCommand(Path workingDir, Map<String, String> env) {
        this.workingDir = workingDir;
        this.env = env;
    }

    @Override
    public Integer call() {
        Path file = options.configFile(workingDir);
        NodeConfig config;
        try {
            config = options.load(workingDir, env);
            ok("config", file == null ? "no config file, defaults + environment + flags" : file.toString());
        } catch (ConfigException e) {
            problem("config", e.getMessage());
            return finish(null);
        }
        checkSite(config);
        checkAccessLog(config);
        checkListen(config);
        if (config.tunnel().enabled()) {
            checkTunnel(config);
        } else {
            ok("tunnel", "disabled: the site is served without cloudflared");
        }
        return finish(config);
    }

    private void checkSite(NodeConfig config) {
        try {
            Path root = SiteDirectory.choose(config.site().root(), workingDir);
            String missing = root == null ? null : homePageProblem(root, config.health().path());
            if (missing != null) {
                problem("site", missing);
            } else {
                ok("site", root == null ? "no site and no ./public: the embedded welcome page" : root.toString());
            }
            if (root != null) {
                checkRuleFiles(root);
            }
        } catch (UsageException e) {
            problem("site", e.getMessage());
        }
    }

    /** Lines of the site's _headers and _redirects the node would ignore: warned as the node logs them, not problems. */
    private void checkRuleFiles(Path root) {
        try {
            for (RuleProblem problem : SiteRules.problemsIn(root)) {
                warning("rules", root.resolve(problem.file()) + ":" + problem.line() + ": " + problem.message());
            }
        } catch (IOException e) {
            warning("rules", "cannot read them: " + e.getMessage());
        }
    }

    /**
     * A site without an index.html at its root (the project directory given instead of its build output, most
     * often) answers the health probe's GET / with 404, so the agent would never start. Only said when no
     * _redirects could be answering / instead.
     */
    private static String homePageProblem(Path root, String healthPath) {
        if (!healthPath.equals("/") || Files.exists(root.resolve("index.html"))
                || Files.exists(root.resolve("_redirects"))) {
            return null;
        }
        String hint = BuildOutput.under(root)
                .map(output -> "; " + output + " has one: is that the build output to serve?").orElse("");
        return root + " has no index.html at its root, so the health probe's GET / gets 404 and the agent would"
                + " never start" + hint + " (or set health.path to a page the site has)";
    }

    /** The node opens a file access log at start and stops (exit 2) when it cannot; found out here first. */
    private void checkAccessLog(NodeConfig config) {
        String target = config.site().accessLog().strip();
        if (target.equals("stdout") || target.equals("off")) {
            ok("access log", target);
            return;
        }
        Path file = workingDir.resolve(target).toAbsolutePath();
        Path parent = file.getParent();
        if (Files.isDirectory(file)) {
            problem("access log", file + " is a directory: name a file in it (site.accessLog / --access-log), or"
                    + " stdout or off");
        } else if (Files.exists(file) ? Files.isWritable(file)
                : parent != null && Files.isDirectory(parent) && Files.isWritable(parent)) {
            ok("access log", file.toString());
        } else {
            problem("access log", "cannot write " + file + (Files.exists(file) ? "" : ": " + parent
                    + " is not a writable directory") + " (set site.accessLog / --access-log to stdout, off or a"
                    + " writable file)");
        }
    }

    private void checkListen(NodeConfig config) {
        RunningNode running = RunningNode.ask(config, workingDir);
        try {
            ListenAddress listen = ListenAddress.parse(config.site().listen(), "site.listen");
            checkFree("listen", listen, "pass --listen HOST:PORT to use another address",
                    running != null && running.serves(listen) ? running : null);
        } catch (UsageException e) {
            problem("listen", e.getMessage());
        }
        try {
            ListenAddress admin = AdminSettings.address(config.admin(), workingDir);
            if (admin == null) {
                ok("admin", "off: no admin API");
            } else {
                checkFree("admin", admin, "pass --admin HOST:PORT to use another address, or --admin off", running);
            }
        } catch (UsageException | ConfigException e) {
            problem("admin", e.getMessage());
        }
    }

    /** owner: the running node when the address is its own, so that `check` beside the service passes. */
    private void checkFree(String what, ListenAddress address, String remedy, RunningNode owner) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(address.host()), address.port()));
            ok(what, address + " is free");
        } catch (IOException e) {
            if (owner != null) {
                ok(what, address + " is the running node's (pid " + owner.pid() + "): it is free again when that"
                        + " node stops, as a restart does");
            } else {
                problem(what, BindFailure.describe(address.toString(), address.port(), e.getMessage(), remedy));
            }
        }
    }

    private void checkTunnel(NodeConfig config) {
        NodeConfig.Tunnel tunnel = config.tunnel();
        String args = AgentCommand.problemWith(tunnel.agentArgs()); // a token in them is one, even in local mode
        if (args != null) {
            problem("agent args", args);
        }
        try {
            TunnelToken token = TunnelToken.find(tunnel.tokenFile() == null ? null : workingDir.resolve(tunnel.tokenFile()), env);
            if (token == null) {
                ok("token", "none: the node runs in local mode (site only)");
                return;
            }
            if (token.exposure() != null) {
                problem("token file", token.exposure());
            }
            String shape = token.shapeProblem();
            if (shape == null) {
                ok("token", "from " + token.source() + ", shaped like a tunnel token");
                for (OtherAgents.Found other : OtherAgents.find(token.tunnelId(),
                        NodeEnvironment.dataDir(config, env, workingDir))) {
                    if (token.tunnelId().equals(other.tunnelId())) {
                        problem("other agent", other.describe(token.tunnelId()));
                    } else {
                        warning("other agent", other.describe(token.tunnelId()));
                    }
                }
            } else {
                problem("token", shape);
            }
        } catch (TunnelToken.TokenException e) {
            problem("token", e.getMessage());
            return;
        }
        try {
            Path dataDir = NodeEnvironment.dataDir(config, env, workingDir);
            AgentBinary.Resolved binary = AgentBinary.resolve(tunnel.cloudflared() == null ? null
                    : workingDir.resolve(tunnel.cloudflared()), dataDir, env.get("PATH"));
            String version = AgentBinary.version(binary.path());
            if (AgentBinary.isCloudflaredVersion(version)) {
                ok("agent", binary.path() + " (" + binary.source() + "): " + version);
            } else {
                problem("agent", binary.path() + " (" + binary.source() + ") answered --version with '" + version
                        + "', not 'cloudflared version ...': point tunnel.cloudflared / --cloudflared at cloudflared");
            }
        } catch (ConfigException e) {
            problem("agent", e.getMessage());
        }
        // a drain outlives restarts: a maintenance forgotten keeps the node out of rotation
        new DrainFile(NodeEnvironment.dataDir(config, env, workingDir)).mark().ifPresent(mark -> ok("drain",
                "the node is drained (" + mark + "): its agent stays stopped until `haflare-node resume`"));
    }

    private int finish(NodeConfig config) {
        if (config != null) {
            System.out.println();
            System.out.println("# effective configuration (the token is never part of it)");
            System.out.print(new ConfigLoader().toYaml(config));
        }
        System.out.println();
        System.out.println(problems.isEmpty() ? "all checks passed" : problems.size() + " problem"
                + (problems.size() == 1 ? "" : "s") + " found");
        return problems.isEmpty() ? ExitCodes.OK : ExitCodes.RUNTIME_FAILURE;
    }

    private void ok(String what, String detail) {
        System.out.println("ok       " + what + ": " + detail);
    }

    private void warning(String what, String detail) {
        System.out.println("warning  " + what + ": " + detail);
    }

    private void problem(String what, String detail) {
        problems.add(what);
        System.out.println("PROBLEM  " + what + ": " + detail);
    }
}
