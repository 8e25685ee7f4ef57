package io.haflare.launcher.cli;

import io.haflare.server.files.TextFile;
import io.haflare.launcher.config.ConfigException;
import io.haflare.launcher.config.NodeConfig;
import io.haflare.server.SiteServer;
import io.haflare.server.admin.AdminHandler;
import io.haflare.server.admin.NodeView;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;

/**
 * Where the admin API listens and who may use it: loopback by default; any other address only with a
 * bearer token from admin.tokenFile, or the node refuses to start.
 */
public final class AdminSettings {
    private AdminSettings() {
    }

    /** The listener to run, or null when admin.listen is "off". */
    public static SiteServer.AdminListener listener(NodeConfig.Admin admin, Path workingDir, NodeView node) {
        ListenAddress address = address(admin, workingDir);
        if (address == null) {
            return null;
        }
        String token = token(admin, workingDir);
        return new SiteServer.AdminListener(address.host(), address.port(), new AdminHandler(node, token, address.host()));
    }

    /** The address to listen on, or null when admin.listen is "off"; a non-loopback one needs a token. */
    public static ListenAddress address(NodeConfig.Admin admin, Path workingDir) {
        if (admin.listen().equalsIgnoreCase("off")) {
            return null;
        }
        ListenAddress address = ListenAddress.parse(admin.listen(), "admin.listen / --admin");
        if (token(admin, workingDir) == null && !isLoopback(address.host())) {
            throw new ConfigException("admin listener " + address + " is not a loopback address: anyone who reaches"
                    + " it could drain this node. Set admin.tokenFile / --admin-token-file to a file with a bearer"
                    + " token, or keep the admin API on 127.0.0.1");
        }
        return address;
    }

    /** The bearer token, or null when none is configured. */
    public static String token(NodeConfig.Admin admin, Path workingDir) {
        if (admin.tokenFile() == null) {
            return null;
        }
        Path file = workingDir.resolve(admin.tokenFile());
        try {
            String token = TextFile.read(file).strip();
            if (token.length() < 16) {
                throw new ConfigException("admin token in " + file + " is shorter than 16 characters: use a long"
                        + " random one (for example: openssl rand -hex 32 > " + file + ")");
            }
            return token;
        } catch (IOException e) {
            throw new ConfigException("cannot read the admin token file " + file + " (" + e.getClass().getSimpleName()
                    + "): check admin.tokenFile / --admin-token-file");
        }
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
