package io.haflare.launcher.cli;

import io.haflare.launcher.config.NodeConfig;
import io.haflare.launcher.deploy.DeployException;
import io.haflare.launcher.deploy.Deployment;
import io.haflare.launcher.deploy.Finding;
import io.haflare.launcher.deploy.ReleaseInfo;
import io.haflare.launcher.deploy.ReleaseStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** `deploy`, `rollback` and `releases`: atomic releases under one sites directory. */
public final class DeployCommands {
    private static final int MAX_FINDINGS_SHOWN = 50;

    private DeployCommands() {
    }

    /** The options every release command shares, and the sites directory they resolve to. */
    abstract static class ReleaseCommand implements Callable<Integer> {
        @Option(names = "--sites", paramLabel = "DIR", description = "Holds releases/ and the current link"
                + " (deploy.sitesDir). Default: the parent of site.root when site.root is .../current.")
        Path sitesFlag;

        @Mixin
        ConfigOptions.Releases options = new ConfigOptions.Releases();

        final Path workingDir;
        final Map<String, String> env;
        NodeConfig config;

        ReleaseCommand(Path workingDir, Map<String, String> env) {
            this.workingDir = workingDir;
            this.env = env;
        }

        abstract int run(ReleaseStore store) throws Exception;

        @Override
        public Integer call() throws Exception {
            config = options.load(workingDir, env);
            try {
                Path sites = sites();
                if (Files.exists(sites) && !Files.isDirectory(sites)) {
                    throw new DeployException("the sites directory " + sites + " is a file: name the directory that"
                            + " holds (or will hold) releases/ and current (--sites DIR, deploy.sitesDir)", true);
                }
                return run(new ReleaseStore(sites));
            } catch (DeployException e) {
                System.err.println(ErrorLine.of(e));
                return e.usage() ? ExitCodes.USAGE : ExitCodes.RUNTIME_FAILURE;
            }
        }

        private Path sites() {
            if (sitesFlag != null) {
                return workingDir.resolve(sitesFlag);
            }
            if (config.deploy().sitesDir() != null) {
                return workingDir.resolve(config.deploy().sitesDir());
            }
            Path root = config.site().root();
            if (root != null && root.getFileName() != null && root.getFileName().toString().equals("current")) {
                Path parent = workingDir.resolve(root).toAbsolutePath().normalize().getParent();
                if (parent != null) {
                    return parent;
                }
            }
            throw new DeployException("no sites directory: pass --sites DIR or set deploy.sitesDir, and have the node"
                    + " serve DIR/current (site.root: DIR/current)", true);
        }

        /** The validator's findings, the first few of a long list. */
        static void print(List<Finding> findings) {
            findings.stream().limit(MAX_FINDINGS_SHOWN).forEach(System.out::println);
            if (findings.size() > MAX_FINDINGS_SHOWN) {
                System.out.println("... and " + (findings.size() - MAX_FINDINGS_SHOWN) + " more");
            }
        }

        /** Says so when the configured node does not serve this store's current link. */
        void noteWhatTheNodeServes(ReleaseStore store) {
            Path root = config.site().root();
            Path served = root == null ? null : workingDir.resolve(root).toAbsolutePath().normalize();
            if (served == null || !served.equals(store.currentLink())) {
                System.out.println("note: the node configured here serves " + (served == null ? "./public or its"
                        + " welcome page" : served) + "; point site.root (--site) at " + store.currentLink()
                        + " to serve these releases");
            }
        }
    }

    @Command(name = "deploy", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Copy a build into a new release, validate it, and switch `current` to it atomically.",
                "The node serving <sites>/current picks it up with its next request; a failed validation changes"
                        + " nothing. Prints the new release's fingerprint on the last line."},
            footer = {"", "Exit codes: 0 deployed, 1 refused by validation (each problem is listed), 2 bad arguments."})
    public static final class Deploy extends ReleaseCommand {
        @Parameters(paramLabel = "SOURCE", description = "The build output directory, or a .tar.gz / .tgz of it.")
        Path source;

        @Option(names = "--id", paramLabel = "ID", description = "Release id. Default: the UTC time, yyyyMMdd-HHmmss.")
        String id;

        @Option(names = "--check-links", description = "Refuse the release when an internal link or asset reference"
                + " in its HTML does not resolve inside it.")
        boolean checkLinks;

        @Option(names = "--keep", paramLabel = "N", description = "Releases to keep, the current one always among"
                + " them (deploy.keep). Default: 5.")
        Integer keep;

        public Deploy(Path workingDir, Map<String, String> env) {
            super(workingDir, env);
        }

        @Override
        int run(ReleaseStore store) throws Exception {
            int kept = keep != null ? keep : config.deploy().keep();
            if (kept < 1) {
                throw new DeployException("--keep must be 1 or more (it always keeps the current release)", true);
            }
            String before = store.currentId().orElse(null);
            Deployment.Outcome outcome;
            try {
                outcome = new Deployment(store, Clock.systemUTC()).deploy(workingDir.resolve(source)
                        .toAbsolutePath().normalize(), id, checkLinks, kept, System.out::println);
            } catch (Deployment.Refused e) {
                print(e.findings());
                System.err.println(ErrorLine.of(e.getMessage() + "; "
                        + (before == null ? "nothing is current yet" : "current still serves " + before)));
                return ExitCodes.RUNTIME_FAILURE;
            }
            if (outcome.note() != null) {
                System.out.println("note: " + outcome.note());
            }
            print(outcome.findings());
            ReleaseInfo r = outcome.release();
            System.out.println("deployed " + r.id() + ": " + r.files() + " files, " + size(r.bytes()));
            System.out.println("current -> releases/" + r.id() + (before == null ? "" : " (was " + before + ")"));
            if (!outcome.pruned().isEmpty()) {
                System.out.println("pruned " + String.join(", ", outcome.pruned()) + " (keeping " + kept + ")");
            }
            noteWhatTheNodeServes(store);
            System.out.println(r.fingerprint());
            return ExitCodes.OK;
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Switch `current` back to the release deployed before it, or to release ID.")
    public static final class Rollback extends ReleaseCommand {
        @Parameters(paramLabel = "ID", arity = "0..1", description = "The release to serve. Default: the previous one.")
        String id;

        public Rollback(Path workingDir, Map<String, String> env) {
            super(workingDir, env);
        }

        @Override
        int run(ReleaseStore store) throws Exception {
            String before = store.currentId().orElse("nothing");
            ReleaseInfo target;
            try {
                target = new Deployment(store, Clock.systemUTC()).rollback(id);
            } catch (Deployment.Refused e) {
                print(e.findings());
                System.err.println(ErrorLine.of((id != null ? "release " + id : "the previous release") + " is not"
                        + " servable; current still serves " + before));
                return ExitCodes.RUNTIME_FAILURE;
            }
            if (target.id().equals(before)) {
                System.out.println("current already points to releases/" + target.id() + ": nothing switched");
                return ExitCodes.OK;
            }
            System.out.println("current -> releases/" + target.id() + " (was " + before + ")");
            noteWhatTheNodeServes(store);
            System.out.println(target.fingerprint());
            return ExitCodes.OK;
        }
    }

    @Command(name = "releases", mixinStandardHelpOptions = true, sortOptions = false,
            description = "List the releases, oldest first; * marks the one current points to.")
    public static final class Releases extends ReleaseCommand {
        public Releases(Path workingDir, Map<String, String> env) {
            super(workingDir, env);
        }

        @Override
        int run(ReleaseStore store) {
            List<ReleaseInfo> all = store.list();
            if (all.isEmpty()) {
                System.out.println("no releases in " + store.sites() + " yet (`haflare-node deploy SOURCE` makes one)");
                return ExitCodes.OK;
            }
            String current = store.currentId().orElse(null);
            int width = Math.max(2, all.stream().mapToInt(r -> r.id().length()).max().orElse(2));
            System.out.printf("  %-" + width + "s  %-20s  %6s  %9s  %s%n", "ID", "DEPLOYED (UTC)", "FILES", "SIZE", "FINGERPRINT");
            for (ReleaseInfo r : all) {
                System.out.printf("%s %-" + width + "s  %-20s  %6d  %9s  %s%n", r.id().equals(current) ? "*" : " ",
                        r.id(), r.deployedAt().toString().replaceFirst("\\.\\d+Z$", "Z"), r.files(), size(r.bytes()),
                        r.fingerprint().equals("?") ? "? (no record: not made by deploy, checked before a rollback to it)"
                                : r.fingerprint());
            }
            return ExitCodes.OK;
        }
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double kb = bytes / 1024.0;
        return kb < 1024 ? String.format(Locale.ROOT, "%.1f KiB", kb) : String.format(Locale.ROOT, "%.1f MiB", kb / 1024);
    }
}
