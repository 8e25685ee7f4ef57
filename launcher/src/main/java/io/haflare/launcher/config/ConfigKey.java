package io.haflare.launcher.config;

import java.util.List;
import java.util.Locale;

/**
 * Every configuration key, its type and its default: the one table that defaults, environment names,
 * unknown-key checks, type conversion and `check`'s output all come from.
 */
public enum ConfigKey {
    NODE_NAME("node.name", Type.STRING, ""),
    NODE_DATA_DIR("node.dataDir", Type.PATH, ""),
    NODE_LOG_FORMAT("node.logFormat", Type.STRING, "text"),
    SITE_ROOT("site.root", Type.PATH, ""),
    SITE_LISTEN("site.listen", Type.STRING, "127.0.0.1:8080"),
    SITE_ACCESS_LOG("site.accessLog", Type.STRING, "stdout"),
    SITE_GZIP("site.gzip", Type.BOOLEAN, "true"),
    SITE_CACHE_HTML("site.cache.html", Type.STRING, "no-cache"),
    SITE_CACHE_IMMUTABLE("site.cache.immutable", Type.STRING, "public, max-age=31536000, immutable"),
    SITE_CACHE_OTHER("site.cache.other", Type.STRING, "public, max-age=3600"),
    SITE_CACHE_FINGERPRINT_PATTERN("site.cache.fingerprintPattern", Type.STRING, ""),
    TUNNEL_ENABLED("tunnel.enabled", Type.BOOLEAN, "true"),
    TUNNEL_CLOUDFLARED("tunnel.cloudflared", Type.PATH, ""),
    TUNNEL_TOKEN_FILE("tunnel.tokenFile", Type.PATH, ""),
    TUNNEL_GRACE_PERIOD("tunnel.gracePeriod", Type.DURATION, "30s"),
    TUNNEL_AGENT_ARGS("tunnel.agentArgs", Type.LIST, ""),
    TUNNEL_RESTART_INITIAL_DELAY("tunnel.restart.initialDelay", Type.DURATION, "1s"),
    TUNNEL_RESTART_MAX_DELAY("tunnel.restart.maxDelay", Type.DURATION, "60s"),
    TUNNEL_RESTART_RESET_AFTER("tunnel.restart.resetAfter", Type.DURATION, "60s"),
    HEALTH_PATH("health.path", Type.STRING, "/"),
    HEALTH_INTERVAL("health.interval", Type.DURATION, "1s"),
    HEALTH_RECHECK_INTERVAL("health.recheckInterval", Type.DURATION, "25ms"),
    HEALTH_TIMEOUT("health.timeout", Type.DURATION, "2s"),
    HEALTH_FAILURE_THRESHOLD("health.failureThreshold", Type.POSITIVE_INT, "3"),
    HEALTH_SUCCESS_THRESHOLD("health.successThreshold", Type.POSITIVE_INT, "2"),
    HEALTH_GATE("health.gate", Type.BOOLEAN, "true"),
    DEPLOY_SITES_DIR("deploy.sitesDir", Type.PATH, ""),
    DEPLOY_KEEP("deploy.keep", Type.POSITIVE_INT, "5"),
    ADMIN_LISTEN("admin.listen", Type.STRING, "127.0.0.1:9090"),
    ADMIN_TOKEN_FILE("admin.tokenFile", Type.PATH, "");

    /** How a key's text is read. */
    public enum Type { STRING, PATH, BOOLEAN, POSITIVE_INT, DURATION, LIST }

    private final String path;
    private final Type type;
    private final String defaultValue;

    ConfigKey(String path, Type type, String defaultValue) {
        this.path = path;
        this.type = type;
        this.defaultValue = defaultValue;
    }

    /** The dotted name used in files and messages: "site.accessLog". */
    public String path() {
        return path;
    }

    public Type type() {
        return type;
    }

    public String defaultValue() {
        return defaultValue;
    }

    /** HAFLARE_SITE_ACCESS_LOG for site.accessLog. */
    public String envName() {
        return "HAFLARE_" + path.replace('.', '_').replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    public static ConfigKey byPath(String path) {
        for (ConfigKey key : values()) {
            if (key.path.equals(path)) {
                return key;
            }
        }
        return null;
    }

    /** The keys directly under a section ("site" → root, listen, ..., cache), for "known here" hints. */
    public static List<String> namesUnder(String section) {
        String prefix = section.isEmpty() ? "" : section + ".";
        return java.util.Arrays.stream(values()).map(ConfigKey::path).filter(p -> p.startsWith(prefix))
                .map(p -> p.substring(prefix.length()).split("\\.")[0]).distinct().sorted().toList();
    }
}
