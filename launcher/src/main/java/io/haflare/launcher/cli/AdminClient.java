package io.haflare.launcher.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
    /** What the node answered, 2xx. */
    record Answer(int status, String body) {}

    /** No node answered, it refused the call, or what answered is not a node's admin API: exit 1 with this message. */
    static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message);
        }
    }

    private static final JsonFactory JSON = new JsonFactory();

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
            connection.setInstanceFollowRedirects(false); // the admin API never redirects; a site does
            connection.setConnectTimeout(2000);
            connection.setReadTimeout(10_000);
            if (token != null) {
                connection.setRequestProperty("Authorization", "Bearer " + token);
            }
            int status = connection.getResponseCode();
            String text;
            try (InputStream body = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
                text = body == null ? "" : new String(body.readAllBytes(), StandardCharsets.UTF_8);
            }
            return admins(method, path, status, connection.getContentType(), text);
        } catch (ConnectException e) {
            throw new Failure("no node is running here: nothing answers on " + base + " (start it, or point at it"
                    + " with --admin HOST:PORT / --config)");
        } catch (IOException e) {
            throw new Failure("the node at " + base + " did not answer: " + e.getMessage());
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    /**
     * The answer when it is a node admin API's success. The API answers JSON or plain text and its refusals are
     * JSON with an "error"; anything else (the site's own pages, another program) means --admin points elsewhere.
     */
    private Answer admins(String method, String path, int status, String contentType, String body) {
        String type = contentType == null ? "" : contentType.toLowerCase(java.util.Locale.ROOT);
        boolean adminType = type.startsWith("application/json") || type.startsWith("text/plain");
        if (status / 100 == 2 && adminType) {
            return new Answer(status, body);
        }
        String error = type.startsWith("application/json") ? errorIn(body) : null;
        if (error != null) {
            throw new Failure("the node at " + base + " refused " + method + " " + path + " (" + status + "): "
                    + error);
        }
        throw new Failure(base + " answered " + status + " to " + method + " " + path + ", as no haflare-node admin API"
                + " does: is --admin (admin.listen) the site's address, or another program's?");
    }

    /** The top-level "error" string of a JSON object, else null. */
    private static String errorIn(String body) {
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
                boolean error = parser.currentName().equals("error");
                if (parser.nextToken() == JsonToken.VALUE_STRING && error) {
                    return parser.getText();
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
