package io.haflare.launcher.cli;

import io.haflare.launcher.config.NodeConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Defaults that depend on the machine: the node's name and its data directory. */
final class NodeEnvironment {
    private NodeEnvironment() {
    }

    static String name(NodeConfig config, Map<String, String> env) {
        if (config.node().name() != null && !config.node().name().isBlank()) {
            return config.node().name();
        }
        String host = env.get("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = Files.readString(Path.of("/etc/hostname"), StandardCharsets.UTF_8).strip();
            } catch (IOException | RuntimeException e) {
                host = env.getOrDefault("COMPUTERNAME", "node");
            }
        }
        return host.isBlank() ? "node" : host;
    }

    /** node.dataDir, else systemd's $STATE_DIRECTORY, else ./.haflare. */
    static Path dataDir(NodeConfig config, Map<String, String> env, Path workingDir) {
        if (config.node().dataDir() != null) {
            return workingDir.resolve(config.node().dataDir()).toAbsolutePath().normalize();
        }
        String state = env.get("STATE_DIRECTORY");
        if (state != null && !state.isBlank()) {
            return Path.of(state.split(":")[0]);
        }
        return workingDir.resolve(".haflare").toAbsolutePath().normalize();
    }
}
