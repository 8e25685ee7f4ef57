package io.haflare.launcher.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The node's effective configuration: defaults, then the config file, then HAFLARE_* environment variables,
 * then flags. Keys and defaults are documented in the README and in defaults.yml (one source).
 * The tunnel token is never part of it: it stays in the environment or in its file.
 */
public record NodeConfig(Node node, Site site, Tunnel tunnel, Health health, Deploy deploy, Admin admin) {

    /** name: shown in status and logs (default: the host name); dataDir: pidfile and state; logFormat: text or json. */
    public record Node(String name, Path dataDir, String logFormat) {}

    /** root null: ./public when it exists, else the embedded welcome page. */
    public record Site(Path root, String listen, String accessLog, boolean gzip, Cache cache) {}

    public record Cache(String html, String immutable, String other, String fingerprintPattern) {}

    public record Tunnel(boolean enabled, Path cloudflared, Path tokenFile, Duration gracePeriod,
                         List<String> agentArgs, Restart restart) {}

    /** systemd's vocabulary: RestartSec doubling to a cap, reset after a stable run. */
    public record Restart(Duration initialDelay, Duration maxDelay, Duration resetAfter) {}

    /** sitesDir: where releases/ and the current link live (null: the parent of site.root when it is named current). */
    public record Deploy(Path sitesDir, int keep) {}

    /** The admin listener ("off" disables it) and the bearer token file a non-loopback bind requires. */
    public record Admin(String listen, Path tokenFile) {}

    /**
     * Kubernetes' probe vocabulary: periodSeconds, timeoutSeconds, failureThreshold, successThreshold; HAProxy's
     * fastinter as recheckInterval. gate false: the agent runs whatever the probe finds (for comparison only).
     */
    public record Health(String path, Duration interval, Duration recheckInterval, Duration timeout,
                         int failureThreshold, int successThreshold, boolean gate) {}
}
