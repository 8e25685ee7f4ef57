package io.haflare.launcher.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** haflare-node serve: the site only, never an agent. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = "Serve the site only, without cloudflared.")
public final class ServeCommand implements Callable<Integer> {
    @Mixin
    NodeOptions options = new NodeOptions();

    private final Path workingDir;
    private final Map<String, String> env;

    public ServeCommand(Path workingDir, Map<String, String> env) {
        this.workingDir = workingDir;
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        return RunCommand.run(options, workingDir, env, false);
    }
}
