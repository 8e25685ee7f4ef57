package io.haflare.launcher;

import io.haflare.launcher.cli.ExitCodes;
import io.haflare.launcher.cli.NodeCommand;
import io.haflare.launcher.cli.UsageException;
import picocli.CommandLine;

import java.nio.file.Path;

/** Entry point: java -jar haflare-node.jar. */
public final class HaflareNode {
    private HaflareNode() {
    }

    public static void main(String[] args) {
        System.exit(run(args, Path.of("")));
    }

    /** Runs the command line and returns the exit code; errors become one clear line on stderr. */
    public static int run(String[] args, Path workingDir) {
        CommandLine cli = new CommandLine(new NodeCommand(workingDir));
        cli.setExitCodeExceptionMapper(e -> e instanceof UsageException || e instanceof CommandLine.ParameterException
                ? ExitCodes.USAGE : ExitCodes.RUNTIME_FAILURE);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("haflare-node: " + e.getMessage());
            return e instanceof UsageException ? ExitCodes.USAGE : ExitCodes.RUNTIME_FAILURE;
        });
        return cli.execute(args);
    }
}
