package io.haflare.launcher.cli;

import io.haflare.launcher.config.ConfigKey;
import io.haflare.launcher.config.ConfigLoader;
import io.haflare.launcher.config.ConfigValue;
import io.haflare.launcher.config.NodeConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * The flags of the commands that read a node's configuration without running a node: where the file is, and
 * the few settings each command uses. Their help lists these, not the twelve flags that only run and serve
 * read.
 */
public final class ConfigOptions {
    private ConfigOptions() {
    }

    /** A flag's value (null when not given) for a key, and the flag's name for error messages. */
    record Flag(ConfigKey key, String value, String name) {}

    /** --config, and the configuration it names with the command's own flags on top. */
    static final class ConfigFile {
        @Option(names = "--config", paramLabel = "FILE", description = NodeOptions.CONFIG_HELP)
        Path config;

        NodeConfig load(Path workingDir, Map<String, String> env, Flag... flags) {
            Map<ConfigKey, ConfigValue> layer = new EnumMap<>(ConfigKey.class);
            for (Flag flag : flags) {
                NodeOptions.put(layer, flag.key(), flag.value(), flag.name());
            }
            return new ConfigLoader().load(NodeOptions.configFile(config, workingDir), env, layer);
        }
    }

    /** status, drain, resume, verify: where the running node's admin API is. */
    public static final class Admin {
        @Mixin
        ConfigFile file = new ConfigFile();

        @Option(names = "--admin", paramLabel = "HOST:PORT", description = "Where the running node's admin API"
                + " listens (admin.listen). Default: 127.0.0.1:9090.")
        String admin;

        @Option(names = "--admin-token-file", paramLabel = "FILE", description = "The file holding the admin API's"
                + " bearer token, when the node requires one (admin.tokenFile).")
        String adminTokenFile;

        NodeConfig load(Path workingDir, Map<String, String> env) {
            return file.load(workingDir, env, new Flag(ConfigKey.ADMIN_LISTEN, admin, "--admin"),
                    new Flag(ConfigKey.ADMIN_TOKEN_FILE, adminTokenFile, "--admin-token-file"));
        }
    }

    /** deploy, rollback, releases: the site's root, whose parent holds the releases unless deploy.sitesDir says. */
    public static final class Releases {
        @Mixin
        ConfigFile file = new ConfigFile();

        @Option(names = "--site", paramLabel = "DIR", description = "The node's site root (site.root): when it is"
                + " SITES/current, SITES holds the releases.")
        String site;

        NodeConfig load(Path workingDir, Map<String, String> env) {
            return file.load(workingDir, env, new Flag(ConfigKey.SITE_ROOT, site, "--site"));
        }
    }
}
