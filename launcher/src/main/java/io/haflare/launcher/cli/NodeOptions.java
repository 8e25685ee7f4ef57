package io.haflare.launcher.cli;

import io.haflare.launcher.config.ConfigKey;
import io.haflare.launcher.config.ConfigLoader;
import io.haflare.launcher.config.ConfigValue;
import io.haflare.launcher.config.NodeConfig;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The flags every node command shares; each one overrides the same key of the config file and environment. */
public final class NodeOptions {
    static final String CONFIG_HELP = "YAML or JSON configuration. Default: ./haflare.yml when present.";
    static final String SITE_HELP = "Directory to serve (site.root). Default: ./public when it exists, else a welcome page.";
    @Option(names = "--config", paramLabel = "FILE", description = CONFIG_HELP)
    Path config;

    @Option(names = "--site", paramLabel = "DIR", description = SITE_HELP)
    String site;

    @Option(names = "--listen", paramLabel = "HOST:PORT",
            description = "Site listener, cloudflared's origin (site.listen). Default: 127.0.0.1:8080.")
    String listen;

    @Option(names = "--access-log", paramLabel = "stdout|off|FILE", description = "site.accessLog. Default: stdout.")
    String accessLog;

    @Option(names = "--no-gzip", description = "Do not gzip on the fly (site.gzip: false).")
    boolean noGzip;

    @Option(names = "--cloudflared", paramLabel = "PATH",
            description = "The agent binary (tunnel.cloudflared). Default: bundled in the JAR, else cloudflared on PATH.")
    String cloudflared;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "File holding the tunnel token (tunnel.tokenFile). Default: TUNNEL_TOKEN_FILE or TUNNEL_TOKEN.")
    String tokenFile;

    @Option(names = "--agent-arg", paramLabel = "ARG",
            description = "Extra agent argument, placed between `tunnel` and `run`; repeatable (tunnel.agentArgs).")
    List<String> agentArgs;

    @Option(names = "--no-tunnel", description = "Serve the site only, without cloudflared (tunnel.enabled: false).")
    boolean noTunnel;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Pidfile and state (node.dataDir). Default: $STATE_DIRECTORY, else ./.haflare.")
    String dataDir;

    @Option(names = "--log-format", paramLabel = "text|json",
            description = "The node's and the agent's log lines as text or JSON (node.logFormat). Default: text.")
    String logFormat;

    @Option(names = "--admin", paramLabel = "HOST:PORT|off",
            description = "Admin listener for /health /status /drain /resume (admin.listen). Default: 127.0.0.1:9090.")
    String admin;

    @Option(names = "--admin-token-file", paramLabel = "FILE",
            description = "Bearer token required by the admin API; mandatory off loopback (admin.tokenFile).")
    String adminTokenFile;

    /** The flags that were given, each tagged with its name for error messages. */
    Map<ConfigKey, ConfigValue> toLayer() {
        Map<ConfigKey, ConfigValue> layer = new EnumMap<>(ConfigKey.class);
        put(layer, ConfigKey.SITE_ROOT, site, "--site");
        put(layer, ConfigKey.SITE_LISTEN, listen, "--listen");
        put(layer, ConfigKey.SITE_ACCESS_LOG, accessLog, "--access-log");
        put(layer, ConfigKey.SITE_GZIP, noGzip ? "false" : null, "--no-gzip");
        put(layer, ConfigKey.TUNNEL_CLOUDFLARED, cloudflared, "--cloudflared");
        put(layer, ConfigKey.TUNNEL_TOKEN_FILE, tokenFile, "--token-file");
        put(layer, ConfigKey.TUNNEL_ENABLED, noTunnel ? "false" : null, "--no-tunnel");
        put(layer, ConfigKey.NODE_DATA_DIR, dataDir, "--data-dir");
        put(layer, ConfigKey.ADMIN_LISTEN, admin, "--admin");
        put(layer, ConfigKey.NODE_LOG_FORMAT, logFormat, "--log-format");
        put(layer, ConfigKey.ADMIN_TOKEN_FILE, adminTokenFile, "--admin-token-file");
        if (agentArgs != null) {
            layer.put(ConfigKey.TUNNEL_AGENT_ARGS, ConfigValue.of(agentArgs, "flag --agent-arg"));
        }
        return layer;
    }

    static void put(Map<ConfigKey, ConfigValue> layer, ConfigKey key, String value, String flag) {
        if (value != null) {
            layer.put(key, ConfigValue.of(value, "flag " + flag));
        }
    }

    /** --config, else ./haflare.yml when it exists, else none. */
    Path configFile(Path workingDir) {
        return configFile(config, workingDir);
    }

    static Path configFile(Path config, Path workingDir) {
        if (config != null) {
            return workingDir.resolve(config);
        }
        Path fallback = workingDir.resolve(ConfigLoader.DEFAULT_FILE);
        return Files.isRegularFile(fallback) ? fallback : null;
    }

    NodeConfig load(Path workingDir, Map<String, String> env) {
        return new ConfigLoader().load(configFile(workingDir), env, toLayer());
    }
}
