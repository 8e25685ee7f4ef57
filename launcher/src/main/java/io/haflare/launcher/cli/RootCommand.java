package io.haflare.launcher.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** haflare-node: without a subcommand it runs the node, so `java -jar haflare-node.jar` is enough. */
@Command(name = "haflare-node", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Serves a static site on localhost and supervises cloudflared, so replicas of one"
                + " Cloudflare Tunnel fail over when a node or its site breaks. Without a command: run.",
        footer = {"", "Exit codes: 0 ok, 1 runtime failure, 2 usage or configuration error."})
public final class RootCommand implements Callable<Integer> {
    @Mixin
    NodeOptions options = new NodeOptions();

    private final Path workingDir;
    private final Map<String, String> env;

    public RootCommand(Path workingDir, Map<String, String> env) {
        this.workingDir = workingDir;
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        return RunCommand.run(options, workingDir, env, true);
    }
}
