package io.haflare.launcher.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** `status`, `drain` and `resume`: the admin API from the command line. */
public final class AdminCommands {
    private AdminCommands() {
    }

    /** Runs one call against the node and prints its answer; exit 0, or 1 with the reason on stderr. */
    abstract static class AdminCall implements Callable<Integer> {
        @Mixin
        ConfigOptions.Admin options = new ConfigOptions.Admin();

        private final Path workingDir;
        private final Map<String, String> env;

        AdminCall(Path workingDir, Map<String, String> env) {
            this.workingDir = workingDir;
            this.env = env;
        }

        abstract AdminClient.Answer call(AdminClient client);

        @Override
        public Integer call() {
            AdminClient client = AdminClient.forConfig(options.load(workingDir, env), workingDir);
            AdminClient.Answer answer;
            try {
                answer = call(client);
            } catch (AdminClient.Failure e) {
                System.err.println(ErrorLine.of(e));
                return ExitCodes.RUNTIME_FAILURE;
            }
            System.out.print(answer.body().endsWith("\n") ? answer.body() : answer.body() + "\n");
            return ExitCodes.OK;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Show what the running node is doing (site health, agent state, edge locations, events).")
    public static final class Status extends AdminCall {
        @Option(names = "--json", description = "Print the raw status document.")
        boolean json;

        public Status(Path workingDir, Map<String, String> env) {
            super(workingDir, env);
        }

        @Override
        AdminClient.Answer call(AdminClient client) {
            return client.get(json ? "/status" : "/status?format=text");
        }
    }

    /** Posts to an admin endpoint, then shows the status it led to. */
    abstract static class PostThenShow extends AdminCall {
        private final String path;

        PostThenShow(Path workingDir, Map<String, String> env, String path) {
            super(workingDir, env);
            this.path = path;
        }

        @Override
        AdminClient.Answer call(AdminClient client) {
            client.post(path);
            return client.get("/status?format=text");
        }
    }

    @Command(name = "drain", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Take the node out of rotation: stop the agent, keep serving. Survives a restart.")
    public static final class Drain extends PostThenShow {
        public Drain(Path workingDir, Map<String, String> env) {
            super(workingDir, env, "/drain");
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Put the node back in rotation (the agent starts once the site is healthy).")
    public static final class Resume extends PostThenShow {
        public Resume(Path workingDir, Map<String, String> env) {
            super(workingDir, env, "/resume");
        }
    }
}
