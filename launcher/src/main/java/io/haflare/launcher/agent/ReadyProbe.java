package io.haflare.launcher.agent;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Asks the agent's metrics server how many edge connections it holds: GET /ready → readyConnections. */
public final class ReadyProbe {
    private static final Pattern CONNECTIONS = Pattern.compile("\"readyConnections\"\\s*:\\s*(\\d+)");

    private ReadyProbe() {
    }

    /** The number of ready connections, or -1 while the metrics server does not answer. */
    public static int readyConnections(int metricsPort) {
        HttpURLConnection connection = null;
        try {
            connection = (HttpURLConnection) new URL("http://127.0.0.1:" + metricsPort + "/ready").openConnection();
            connection.setConnectTimeout(500);
            connection.setReadTimeout(1000);
            int status = connection.getResponseCode();
            InputStream body = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            String text = body == null ? "" : new String(body.readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = CONNECTIONS.matcher(text);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            return status == 200 ? 1 : 0;
        } catch (IOException e) {
            return -1;
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }
}
