package io.haflare.launcher.cli;

import io.haflare.launcher.Node;
import io.haflare.launcher.config.NodeConfig;
import io.haflare.launcher.log.NodeLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** haflare-node run (the default): serve the site and supervise cloudflared. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = "Serve the site and run cloudflared while the site is healthy (the default command).")
public final class RunCommand implements Callable<Integer> {
    @Mixin
    NodeOptions options = new NodeOptions();

    private final Path workingDir;
    private final Map<String, String> env;
    private final boolean tunnel;

    public RunCommand(Path workingDir, Map<String, String> env) {
        this(workingDir, env, true);
    }

    RunCommand(Path workingDir, Map<String, String> env, boolean tunnel) {
        this.workingDir = workingDir;
        this.env = env;
        this.tunnel = tunnel;
    }

    @Override
    public Integer call() throws Exception {
        return run(options, workingDir, env, tunnel);
    }

    static int run(NodeOptions options, Path workingDir, Map<String, String> env, boolean tunnel) throws Exception {
        NodeConfig config = options.load(workingDir, env);
        NodeLog.format(config.node().logFormat());
        Path root = SiteDirectory.choose(config.site().root(), workingDir);
        return Node.run(config, SiteSettings.toSiteConfig(config.site(), root), tunnel,
                NodeEnvironment.dataDir(config, env, workingDir), NodeEnvironment.name(config, env), env, workingDir);
    }
}
