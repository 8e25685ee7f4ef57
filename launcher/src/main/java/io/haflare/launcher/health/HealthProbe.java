package io.haflare.launcher.health;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.time.Duration;
import java.util.Map;

/**
 * One real HTTP GET over loopback to the site listener, as a visitor's request would reach it through the agent.
 * It carries the server's probe header, which keeps it out of the access log and the request metrics.
 */
public final class HealthProbe {
    /** The outcome, a short description for the log ("GET / -> 404 in 3 ms") and how long the probe took. */
    public record Result(boolean ok, String description, long millis) {}

    private final String host;
    private final int port;
    private final String path;
    private final Duration timeout;
    private final Map.Entry<String, String> marker;

    public HealthProbe(String host, int port, String path, Duration timeout, Map.Entry<String, String> marker) {
        this.host = host.equals("0.0.0.0") || host.equals("::") || host.isEmpty() ? "127.0.0.1" : host;
        this.port = port;
        this.path = path;
        this.timeout = timeout;
        this.marker = marker;
    }

    public Result probe() {
        long start = System.nanoTime();
        HttpURLConnection connection = null;
        try {
            String authority = host.contains(":") ? "[" + host + "]" : host;
            connection = (HttpURLConnection) new URL("http://" + authority + ":" + port + path).openConnection();
            connection.setInstanceFollowRedirects(false);
            connection.setConnectTimeout((int) timeout.toMillis());
            connection.setReadTimeout((int) timeout.toMillis());
            connection.setRequestProperty("User-Agent", "haflare-node health probe");
            connection.setRequestProperty(marker.getKey(), marker.getValue());
            connection.setRequestProperty("Cache-Control", "no-cache"); // the disk as it is now, not the server's cache
            int status = connection.getResponseCode();
            try (InputStream body = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
                if (body != null) {
                    body.readAllBytes(); // a server that sends headers but no body is not healthy either
                }
            }
            long took = millis(start);
            String location = connection.getHeaderField("Location");
            String redirect = status / 100 == 3 && location != null ? " to " + location : "";
            String hint = redirect.isEmpty() ? "" : " (the probe wants 2xx: point health.path at a page the site serves)";
            return new Result(status >= 200 && status < 300, "GET " + path + " -> " + status + redirect + " in " + took
                    + " ms" + hint, took);
        } catch (SocketTimeoutException e) {
            return new Result(false, "GET " + path + " -> no answer within " + timeout.toMillis() + " ms", millis(start));
        } catch (ConnectException e) {
            return new Result(false, "GET " + path + " -> connection refused", millis(start));
        } catch (IOException e) {
            return new Result(false, "GET " + path + " -> " + e.getClass().getSimpleName() + " after " + millis(start) + " ms",
                    millis(start));
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    private static long millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
