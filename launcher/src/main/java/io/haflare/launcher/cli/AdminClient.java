package io.haflare.launcher.cli;

import io.haflare.launcher.config.ConfigException;
import io.haflare.launcher.config.NodeConfig;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Talks to a running node's admin API, found through the same configuration the node uses. */
final class AdminClient {
    /** What the node answered. */
    record Answer(int status, String body) {}

    /** The node is not there to answer: exit 1 with this message. */
    static final class NotRunning extends RuntimeException {
        NotRunning(String message) {
            super(message);
        }
    }

    private final String base;
    private final String token;

    private AdminClient(String base, String token) {
        this.base = base;
        this.token = token;
    }

    static AdminClient forConfig(NodeConfig config, Path workingDir) {
        if (config.admin().listen().equalsIgnoreCase("off")) {
            throw new ConfigException("the admin API is off (admin.listen: off): turn it on to use status, drain"
                    + " and resume");
        }
        ListenAddress address = ListenAddress.parse(config.admin().listen(), "admin.listen / --admin");
        String host = address.host().equals("0.0.0.0") || address.host().equals("::")
                ? InetAddress.getLoopbackAddress().getHostAddress() : address.host();
        return new AdminClient("http://" + new ListenAddress(host, address.port()), AdminSettings.token(config.admin(), workingDir));
    }

    Answer get(String path) {
        return call("GET", path);
    }

    Answer post(String path) {
        return call("POST", path);
    }

    private Answer call(String method, String path) {
        HttpURLConnection connection = null;
        try {
            connection = (HttpURLConnection) new URL(base + path).openConnection();
            connection.setRequestMethod(method);
            connection.setConnectTimeout(2000);
            connection.setReadTimeout(10_000);
            if (token != null) {
                connection.setRequestProperty("Authorization", "Bearer " + token);
            }
            int status = connection.getResponseCode();
            try (InputStream body = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
                return new Answer(status, body == null ? "" : new String(body.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (ConnectException e) {
            throw new NotRunning("no node is running here: nothing answers on " + base + " (start it, or point at it"
                    + " with --admin HOST:PORT / --config)");
        } catch (IOException e) {
            throw new NotRunning("the node at " + base + " did not answer: " + e.getMessage());
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }
}
