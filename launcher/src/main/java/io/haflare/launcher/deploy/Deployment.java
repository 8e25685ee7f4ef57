package io.haflare.launcher.deploy;

import io.haflare.server.files.ContentFingerprint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * deploy, rollback: stage, validate, fingerprint, switch, prune. The running release is touched only by the
 * final switch, so a failure at any earlier step leaves the node serving what it served.
 */
public final class Deployment {
    private static final DateTimeFormatter DEFAULT_ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    /** What a deploy did: the new release, the findings (warnings only, else it threw), the releases pruned. */
    public record Outcome(ReleaseInfo release, List<Finding> findings, List<String> pruned, String note) {}

    /** Validation refused the release; the findings say why. */
    public static final class Refused extends RuntimeException {
        private final List<Finding> findings;

        Refused(List<Finding> findings) {
            super(findings.stream().filter(Finding::problem).count() + " problem(s): the release was not deployed");
            this.findings = findings;
        }

        public List<Finding> findings() {
            return findings;
        }
    }

    private final ReleaseStore store;
    private final Clock clock;

    public Deployment(ReleaseStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Outcome deploy(Path source, String requestedId, boolean checkLinks, int keep, Consumer<String> progress)
            throws Exception {
        if (requestedId != null && !ReleaseStore.ID.matcher(requestedId).matches()) {
            throw new DeployException("release id '" + requestedId + "' is not usable: letters, digits, '.', '_'"
                    + " and '-', up to 64, starting with a letter or digit", true);
        }
        ReleaseSource.requireUsable(source);
        ReleaseSource.requireApart(source, store.sites());
        ReleaseSource.requireNotTheProject(source);
        try (AutoCloseable lock = store.lock()) {
            store.requireSwitchable();
            String id = requestedId != null ? requestedId : freshId();
            if (Files.exists(store.dirOf(id))) {
                throw new DeployException("release " + id + " already exists in " + store.sites() + " (pick another"
                        + " --id, or `haflare-node rollback " + id + "` to serve it again)", true);
            }
            Path staging = store.newStaging();
            try {
                progress.accept("staging " + source + " as release " + id);
                String note = ReleaseSource.stage(source, staging);
                int opened = ReleasePermissions.openToReaders(staging);
                if (opened > 0) {
                    progress.accept("made " + opened + " files and directories readable by all (the node runs as its"
                            + " own user, and a static site is public)");
                }
                List<Finding> findings = ReleaseValidator.validate(staging, checkLinks);
                if (findings.stream().anyMatch(Finding::problem)) {
                    throw new Refused(findings);
                }
                ReleaseInfo info = describe(id, staging, source);
                info.writeTo(staging);
                store.publish(staging, id);
                store.switchTo(id);
                List<String> pruned = store.prune(keep);
                return new Outcome(info, findings, pruned, note);
            } finally {
                ReleaseStore.deleteTree(staging); // gone already when published
            }
        }
    }

    /** Points current at id, or at the release deployed before the current one when id is null. */
    public ReleaseInfo rollback(String id) throws Exception {
        try (AutoCloseable lock = store.lock()) {
            List<ReleaseInfo> all = store.list();
            String current = store.currentId().orElse(null);
            ReleaseInfo target;
            if (all.isEmpty()) {
                throw new DeployException("no releases in " + store.sites() + " yet: there is nothing to roll back to"
                        + " (`haflare-node deploy SOURCE` makes one)", false);
            } else if (id != null) {
                target = all.stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow(() -> new DeployException(
                        "no release " + id + " in " + store.sites() + " (`haflare-node releases` lists them)", true));
            } else {
                int at = indexOf(all, current);
                if (at <= 0) {
                    throw new DeployException(at < 0 ? "current does not point to a known release in " + store.sites()
                            + ": name one, `haflare-node rollback ID`" : "release " + current
                            + " is the oldest kept: there is nothing earlier to roll back to", false);
                }
                target = all.get(at - 1);
            }
            if (target.id().equals(current)) {
                return target; // already served: nothing to switch
            }
            // a release is validated when deployed; one put in releases/ by hand is checked here
            List<Finding> findings = ReleaseValidator.validate(store.dirOf(target.id()), false);
            if (findings.stream().anyMatch(Finding::problem)) {
                throw new Refused(findings);
            }
            store.switchTo(target.id());
            return target;
        }
    }

    private static int indexOf(List<ReleaseInfo> all, String id) {
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    private String freshId() {
        String base = DEFAULT_ID.format(clock.instant());
        String id = base;
        for (int n = 2; Files.exists(store.dirOf(id)); n++) {
            id = base + "-" + n;
        }
        return id;
    }

    private ReleaseInfo describe(String id, Path dir, Path source) throws IOException {
        long[] totals = new long[2];
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).forEach(f -> {
                totals[0]++;
                totals[1] += f.toFile().length();
            });
        }
        return new ReleaseInfo(id, clock.instant(), ContentFingerprint.of(dir), totals[1], totals[0],
                source.toAbsolutePath().normalize().toString());
    }
}
