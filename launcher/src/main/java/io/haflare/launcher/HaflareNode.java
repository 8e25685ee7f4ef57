package io.haflare.launcher;

import io.haflare.launcher.agent.TunnelToken;
import io.haflare.launcher.cli.AdminCommands;
import io.haflare.launcher.cli.FingerprintCommands;
import io.haflare.launcher.cli.CheckCommand;
import io.haflare.launcher.cli.DeployCommands;
import io.haflare.launcher.cli.ErrorLine;
import io.haflare.launcher.cli.ExitCodes;
import io.haflare.launcher.cli.PlainStart;
import io.haflare.launcher.cli.RootCommand;
import io.haflare.launcher.cli.RunCommand;
import io.haflare.launcher.cli.ServeCommand;
import io.haflare.launcher.cli.UsageException;
import io.haflare.launcher.cli.VersionCommand;
import io.haflare.launcher.config.ConfigException;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** Entry point: java -jar haflare-node.jar [run|serve|check|version] [options]. */
public final class HaflareNode {
    private HaflareNode() {
    }

    public static void main(String[] args) {
        PlatformMBeansOff.unlessAsked();
        System.exit(run(args, Path.of(""), System.getenv()));
    }

    /** Runs the command line and returns the exit code; errors become one clear line on stderr. */
    public static int run(String[] args, Path workingDir, Map<String, String> env) {
        PlainStart plain = PlainStart.parse(args);
        if (plain != null) {
            try {
                return plain.run(workingDir, env);
            } catch (Exception e) {
                System.err.println(ErrorLine.of(e));
                return exitCode(e);
            }
        }
        CommandLine cli = new CommandLine(new RootCommand(workingDir, env));
        if (!runsTheRootCommand(args)) {
            cli.addSubcommand(new RunCommand(workingDir, env))
                    .addSubcommand(new ServeCommand(workingDir, env))
                    .addSubcommand(new CheckCommand(workingDir, env))
                    .addSubcommand(new AdminCommands.Status(workingDir, env))
                    .addSubcommand(new AdminCommands.Drain(workingDir, env))
                    .addSubcommand(new AdminCommands.Resume(workingDir, env))
                    .addSubcommand(new FingerprintCommands.Fingerprint(workingDir))
                    .addSubcommand(new FingerprintCommands.Verify(workingDir, env))
                    .addSubcommand(new DeployCommands.Deploy(workingDir, env))
                    .addSubcommand(new DeployCommands.Rollback(workingDir, env))
                    .addSubcommand(new DeployCommands.Releases(workingDir, env))
                    .addSubcommand(new VersionCommand())
                    .addSubcommand("help", new CommandLine.HelpCommand()); // `haflare-node help deploy`, git-style
        }
        cli.setExitCodeExceptionMapper(HaflareNode::exitCode);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println(ErrorLine.of(e));
            return exitCode(e);
        });
        return cli.execute(args);
    }

    /**
     * True for a line with options only, no command name and no help, that PlainStart left to picocli (an
     * unknown flag, say): then the subcommands are not registered, and picocli builds one model, not thirteen.
     */
    static boolean runsTheRootCommand(String[] args) {
        for (String arg : args) {
            if (Set.of("-h", "--help", "-V", "--version", "run", "serve", "check", "status", "drain", "resume", "fingerprint", "verify",
                    "deploy", "rollback", "releases",
                    "version", "help").contains(arg)) {
                return false;
            }
        }
        return args.length == 0 || args[0].startsWith("-");
    }

    private static int exitCode(Throwable e) {
        return e instanceof UsageException || e instanceof ConfigException || e instanceof TunnelToken.TokenException
                || e instanceof CommandLine.ParameterException ? ExitCodes.USAGE : ExitCodes.RUNTIME_FAILURE;
    }
}
