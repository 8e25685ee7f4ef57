package io.haflare.launcher.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the effective NodeConfig from four layers, each overriding the one before: the defaults in
 * {@link ConfigKey}, the config file, HAFLARE_* environment variables, flags. Every value keeps its source,
 * so an unknown key or a bad value is reported as the file and line, the variable, or the flag to fix.
 */
public final class ConfigLoader {
    public static final String DEFAULT_FILE = "haflare.yml";
    private static final String ENV_PREFIX = "HAFLARE_";

    /**
     * @param file  the config file, or null for none
     * @param env   the environment (only HAFLARE_* names are read here)
     * @param flags the flags that were given
     */
    public NodeConfig load(Path file, Map<String, String> env, Map<ConfigKey, ConfigValue> flags) {
        Map<ConfigKey, ConfigValue> merged = new EnumMap<>(ConfigKey.class);
        for (ConfigKey key : ConfigKey.values()) {
            merged.put(key, key.type() == ConfigKey.Type.LIST ? ConfigValue.of(List.of(), "default")
                    : ConfigValue.of(key.defaultValue(), "default"));
        }
        if (file != null) {
            merged.putAll(ConfigFileReader.read(file));
        }
        merged.putAll(fromEnv(env));
        merged.putAll(flags);
        return bind(new Binder(merged));
    }

    private static Map<ConfigKey, ConfigValue> fromEnv(Map<String, String> env) {
        Map<ConfigKey, ConfigValue> values = new EnumMap<>(ConfigKey.class);
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            if (!e.getKey().startsWith(ENV_PREFIX)) {
                continue;
            }
            ConfigKey key = null;
            for (ConfigKey candidate : ConfigKey.values()) {
                if (candidate.envName().equals(e.getKey())) {
                    key = candidate;
                }
            }
            if (key == null) {
                List<String> known = new ArrayList<>();
                for (ConfigKey k : ConfigKey.values()) {
                    known.add(k.envName());
                }
                throw new ConfigException("environment variable " + e.getKey() + " is not a haflare-node setting"
                        + " (known: " + String.join(", ", known) + ")");
            }
            String source = "environment " + e.getKey();
            values.put(key, key.type() == ConfigKey.Type.LIST
                    ? ConfigValue.of(List.of(e.getValue().strip().split("\\s+")).stream().filter(s -> !s.isEmpty()).toList(), source)
                    : ConfigValue.of(e.getValue(), source));
        }
        return values;
    }

    private static NodeConfig bind(Binder b) {
        return new NodeConfig(
                new NodeConfig.Node(b.name(ConfigKey.NODE_NAME), b.path(ConfigKey.NODE_DATA_DIR),
                        b.oneOf(ConfigKey.NODE_LOG_FORMAT, "text", "json")),
                new NodeConfig.Site(b.path(ConfigKey.SITE_ROOT), b.text(ConfigKey.SITE_LISTEN),
                        b.text(ConfigKey.SITE_ACCESS_LOG), b.bool(ConfigKey.SITE_GZIP),
                        new NodeConfig.Cache(b.headerValue(ConfigKey.SITE_CACHE_HTML),
                                b.headerValue(ConfigKey.SITE_CACHE_IMMUTABLE),
                                b.headerValue(ConfigKey.SITE_CACHE_OTHER),
                                b.regex(ConfigKey.SITE_CACHE_FINGERPRINT_PATTERN))),
                new NodeConfig.Tunnel(b.bool(ConfigKey.TUNNEL_ENABLED), b.path(ConfigKey.TUNNEL_CLOUDFLARED),
                        b.path(ConfigKey.TUNNEL_TOKEN_FILE), b.duration(ConfigKey.TUNNEL_GRACE_PERIOD),
                        b.list(ConfigKey.TUNNEL_AGENT_ARGS),
                        b.restart()),
                new NodeConfig.Health(b.requestPath(ConfigKey.HEALTH_PATH), b.positiveDuration(ConfigKey.HEALTH_INTERVAL),
                        b.positiveDuration(ConfigKey.HEALTH_RECHECK_INTERVAL), b.positiveDuration(ConfigKey.HEALTH_TIMEOUT),
                        b.positiveInt(ConfigKey.HEALTH_FAILURE_THRESHOLD),
                        b.positiveInt(ConfigKey.HEALTH_SUCCESS_THRESHOLD), b.bool(ConfigKey.HEALTH_GATE)),
                new NodeConfig.Deploy(b.path(ConfigKey.DEPLOY_SITES_DIR), b.positiveInt(ConfigKey.DEPLOY_KEEP)),
                new NodeConfig.Admin(b.text(ConfigKey.ADMIN_LISTEN), b.path(ConfigKey.ADMIN_TOKEN_FILE)));
    }

    /** Converts merged values to their types; a value that does not fit names its key and its source. */
    private record Binder(Map<ConfigKey, ConfigValue> values) {
        /** Longer than any pace, timeout or delay wants, and short enough for every timer API's int of ms. */
        private static final Duration LONGEST = Duration.ofHours(24);

        String text(ConfigKey key) {
            ConfigValue v = values.get(key);
            if (!(v.raw() instanceof String s)) {
                throw bad(key, v, "expected a single value, found a list");
            }
            return s;
        }

        Path path(ConfigKey key) {
            String s = text(key).strip();
            try {
                return s.isEmpty() ? null : Path.of(s);
            } catch (java.nio.file.InvalidPathException e) {
                throw bad(key, values.get(key), "'" + s + "' is not a valid path");
            }
        }

        String oneOf(ConfigKey key, String... allowed) {
            String s = text(key).strip();
            if (java.util.Arrays.asList(allowed).contains(s)) {
                return s;
            }
            throw bad(key, values.get(key), "'" + s + "' is not one of " + String.join(", ", allowed));
        }

        boolean bool(ConfigKey key) {
            String s = text(key).strip();
            if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("yes") || s.equals("1")) {
                return true;
            }
            if (s.equalsIgnoreCase("false") || s.equalsIgnoreCase("no") || s.equals("0")) {
                return false;
            }
            throw bad(key, values.get(key), "'" + s + "' is not true or false");
        }

        int positiveInt(ConfigKey key) {
            String s = text(key).strip();
            try {
                int n = Integer.parseInt(s);
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw bad(key, values.get(key), "'" + s + "' is not a whole number of at least 1");
        }

        Duration duration(ConfigKey key) {
            Duration d;
            try {
                d = Durations.parse(text(key));
            } catch (IllegalArgumentException e) {
                throw bad(key, values.get(key), e.getMessage());
            }
            if (d.compareTo(LONGEST) > 0) {
                throw bad(key, values.get(key), "'" + text(key).strip() + "' is longer than " + Durations.format(LONGEST)
                        + ", which no setting here needs");
            }
            return d;
        }

        /** A pace or a timeout: zero would make the probe or the restarts spin. */
        Duration positiveDuration(ConfigKey key) {
            Duration d = duration(key);
            if (d.isZero()) {
                throw bad(key, values.get(key), "it must be longer than 0 (for example " + key.defaultValue() + ")");
            }
            return d;
        }

        NodeConfig.Restart restart() {
            Duration initial = positiveDuration(ConfigKey.TUNNEL_RESTART_INITIAL_DELAY);
            Duration max = positiveDuration(ConfigKey.TUNNEL_RESTART_MAX_DELAY);
            if (max.compareTo(initial) < 0) {
                throw bad(ConfigKey.TUNNEL_RESTART_MAX_DELAY, values.get(ConfigKey.TUNNEL_RESTART_MAX_DELAY), "'"
                        + Durations.format(max) + "' is shorter than tunnel.restart.initialDelay ("
                        + Durations.format(initial) + "), where the back-off starts");
            }
            return new NodeConfig.Restart(initial, max, duration(ConfigKey.TUNNEL_RESTART_RESET_AFTER));
        }

        /** A name for logs and status: one line of printable text. */
        String name(ConfigKey key) {
            String s = text(key);
            if (s.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw bad(key, values.get(key), "it holds a control character (a new line would split the log"
                        + " lines it is in): use a plain name such as web-1");
            }
            return s;
        }

        /** A header's value: one line of printable ASCII, as Cache-Control's directives are; empty sends none. */
        String headerValue(ConfigKey key) {
            String s = text(key).strip();
            if (!s.chars().allMatch(c -> c == '\t' || c >= 0x20 && c < 0x7f)) {
                throw bad(key, values.get(key), "it holds a line break or another character a header cannot carry:"
                        + " write the directives on one line (for example " + key.defaultValue() + ")");
            }
            return s;
        }

        /** A path as a request carries it: from the site's root, printable ASCII, percent-encoded where it must be. */
        String requestPath(ConfigKey key) {
            String s = text(key).strip();
            if (!s.startsWith("/")) {
                throw bad(key, values.get(key), "'" + s + "' is not a path on the site: start it with '/' (for example"
                        + " " + key.defaultValue() + " or /healthz.html)");
            }
            if (!s.chars().allMatch(c -> c > 0x20 && c < 0x7f && "#\"<>\\^`{|}".indexOf(c) < 0)) {
                throw bad(key, values.get(key), "'" + s + "' holds a character a request cannot carry as it is:"
                        + " percent-encode it, as a browser would (a space is %20, é is %C3%A9)");
            }
            return s;
        }

        /** A regular expression, checked here so that `check` finds a bad one too; empty for the default. */
        String regex(ConfigKey key) {
            String s = text(key);
            try {
                java.util.regex.Pattern.compile(s);
            } catch (java.util.regex.PatternSyntaxException e) {
                throw bad(key, values.get(key), "not a valid regular expression: " + e.getDescription()
                        + " near index " + e.getIndex());
            }
            return s;
        }

        List<String> list(ConfigKey key) {
            ConfigValue v = values.get(key);
            if (v.raw() instanceof List<?> items) {
                return items.stream().map(String::valueOf).toList();
            }
            String s = ((String) v.raw()).strip();
            return s.isEmpty() ? List.of() : List.of(s.split("\\s+"));
        }

        private static ConfigException bad(ConfigKey key, ConfigValue v, String why) {
            return new ConfigException(v.source() + ": bad value for '" + key.path() + "': " + why);
        }
    }

    /** Agent arguments with the value of a --token in them hidden: `check` prints them, and reports the flag. */
    static List<String> withoutToken(List<String> agentArgs) {
        List<String> shown = new ArrayList<>();
        boolean tokenNext = false;
        for (String arg : agentArgs) {
            String flag = arg.replaceFirst("^--?", "");
            shown.add(tokenNext ? "(hidden)" : flag.startsWith("token=") ? arg.substring(0, arg.indexOf('=') + 1)
                    + "(hidden)" : arg);
            tokenNext = !tokenNext && arg.startsWith("-") && flag.equals("token");
        }
        return shown;
    }

    /** The configuration as YAML for `check`: every key, in the table's order. */
    public String toYaml(NodeConfig c) {
        Map<ConfigKey, Object> values = new EnumMap<>(ConfigKey.class);
        values.put(ConfigKey.NODE_NAME, c.node().name());
        values.put(ConfigKey.NODE_DATA_DIR, c.node().dataDir());
        values.put(ConfigKey.NODE_LOG_FORMAT, c.node().logFormat());
        values.put(ConfigKey.SITE_ROOT, c.site().root());
        values.put(ConfigKey.SITE_LISTEN, c.site().listen());
        values.put(ConfigKey.SITE_ACCESS_LOG, c.site().accessLog());
        values.put(ConfigKey.SITE_GZIP, c.site().gzip());
        values.put(ConfigKey.SITE_CACHE_HTML, c.site().cache().html());
        values.put(ConfigKey.SITE_CACHE_IMMUTABLE, c.site().cache().immutable());
        values.put(ConfigKey.SITE_CACHE_OTHER, c.site().cache().other());
        values.put(ConfigKey.SITE_CACHE_FINGERPRINT_PATTERN, c.site().cache().fingerprintPattern());
        values.put(ConfigKey.TUNNEL_ENABLED, c.tunnel().enabled());
        values.put(ConfigKey.TUNNEL_CLOUDFLARED, c.tunnel().cloudflared());
        values.put(ConfigKey.TUNNEL_TOKEN_FILE, c.tunnel().tokenFile());
        values.put(ConfigKey.TUNNEL_GRACE_PERIOD, c.tunnel().gracePeriod());
        values.put(ConfigKey.TUNNEL_AGENT_ARGS, withoutToken(c.tunnel().agentArgs()));
        values.put(ConfigKey.TUNNEL_RESTART_INITIAL_DELAY, c.tunnel().restart().initialDelay());
        values.put(ConfigKey.TUNNEL_RESTART_MAX_DELAY, c.tunnel().restart().maxDelay());
        values.put(ConfigKey.TUNNEL_RESTART_RESET_AFTER, c.tunnel().restart().resetAfter());
        values.put(ConfigKey.HEALTH_PATH, c.health().path());
        values.put(ConfigKey.HEALTH_INTERVAL, c.health().interval());
        values.put(ConfigKey.HEALTH_RECHECK_INTERVAL, c.health().recheckInterval());
        values.put(ConfigKey.HEALTH_TIMEOUT, c.health().timeout());
        values.put(ConfigKey.HEALTH_FAILURE_THRESHOLD, c.health().failureThreshold());
        values.put(ConfigKey.HEALTH_SUCCESS_THRESHOLD, c.health().successThreshold());
        values.put(ConfigKey.HEALTH_GATE, c.health().gate());
        values.put(ConfigKey.DEPLOY_SITES_DIR, c.deploy().sitesDir());
        values.put(ConfigKey.DEPLOY_KEEP, c.deploy().keep());
        values.put(ConfigKey.ADMIN_LISTEN, c.admin().listen());
        values.put(ConfigKey.ADMIN_TOKEN_FILE, c.admin().tokenFile());
        StringBuilder yaml = new StringBuilder();
        List<String> open = List.of();
        for (Map.Entry<ConfigKey, Object> e : values.entrySet()) {
            List<String> parts = List.of(e.getKey().path().split("\\."));
            List<String> sections = parts.subList(0, parts.size() - 1);
            for (int depth = 0; depth < sections.size(); depth++) {
                if (open.size() <= depth || !open.get(depth).equals(sections.get(depth))) {
                    yaml.append("  ".repeat(depth)).append(sections.get(depth)).append(":\n");
                }
            }
            open = sections;
            yaml.append("  ".repeat(sections.size())).append(parts.get(parts.size() - 1)).append(": ")
                    .append(scalar(e.getValue())).append('\n');
        }
        return yaml.toString();
    }

    private static String scalar(Object value) {
        if (value == null) {
            return "\"\"";
        }
        if (value instanceof Duration d) {
            return Durations.format(d);
        }
        if (value instanceof List<?> list) {
            List<String> items = new ArrayList<>();
            list.forEach(item -> items.add(scalar(String.valueOf(item))));
            return "[" + String.join(", ", items) + "]";
        }
        String text = String.valueOf(value);
        return text.matches("[A-Za-z0-9./_=, -]*[A-Za-z0-9./_]|[A-Za-z0-9./_-]+:[0-9]+")
                ? text : "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
