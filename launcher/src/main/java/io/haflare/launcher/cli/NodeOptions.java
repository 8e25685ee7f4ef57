package io.haflare.launcher.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haflare.launcher.config.ConfigLoader;
import io.haflare.launcher.config.NodeConfig;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The flags every node command shares; each one overrides the same key of the config file and environment. */
public final class NodeOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML or JSON configuration. Default: ./haflare.yml when present.")
    Path config;

    @Option(names = "--site", paramLabel = "DIR",
            description = "Directory to serve (site.root). Default: ./public when it exists, else a welcome page.")
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

    /** The flags that were given, as a tree with the config file's keys. */
    ObjectNode toTree() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        put(root, "site", "root", site);
        put(root, "site", "listen", listen);
        put(root, "site", "accessLog", accessLog);
        if (noGzip) {
            root.with("site").put("gzip", false);
        }
        put(root, "tunnel", "cloudflared", cloudflared);
        put(root, "tunnel", "tokenFile", tokenFile);
        if (agentArgs != null) {
            agentArgs.forEach(arg -> root.with("tunnel").withArray("agentArgs").add(arg));
        }
        if (noTunnel) {
            root.with("tunnel").put("enabled", false);
        }
        put(root, "node", "dataDir", dataDir);
        return root;
    }

    private static void put(ObjectNode root, String section, String key, String value) {
        if (value != null) {
            root.with(section).put(key, value);
        }
    }

    /** --config, else ./haflare.yml when it exists, else none. */
    Path configFile(Path workingDir) {
        if (config != null) {
            return workingDir.resolve(config);
        }
        Path fallback = workingDir.resolve(ConfigLoader.DEFAULT_FILE);
        return Files.isRegularFile(fallback) ? fallback : null;
    }

    NodeConfig load(Path workingDir, Map<String, String> env) {
        return new ConfigLoader().load(configFile(workingDir), env, toTree());
    }
}
