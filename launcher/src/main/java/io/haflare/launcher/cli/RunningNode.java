package io.haflare.launcher.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.haflare.launcher.config.NodeConfig;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;

/**
 * The node that answers on the configured admin address, as its status says: its pid and the address its
 * site listens on. `check` beside a running service finds its addresses taken by that node, which is no problem.
 */
record RunningNode(long pid, String siteListen) {
    private static final JsonFactory JSON = new JsonFactory();

    /** The running node, or null when none answers there (admin off, nothing listening, not a node). */
    static RunningNode ask(NodeConfig config, Path workingDir) {
        try {
            return parse(AdminClient.forConfig(config, workingDir).get("/status").body());
        } catch (IOException | RuntimeException e) { // admin off, a token missing, nothing answering, not a node
            return null;
        }
    }

    /** pid and site.listen from a status document; null when either is missing. */
    static RunningNode parse(String status) throws IOException {
        long pid = -1;
        String listen = null;
        try (JsonParser parser = JSON.createParser(status)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("pid") && value == JsonToken.VALUE_NUMBER_INT) {
                    pid = parser.getLongValue();
                } else if (field.equals("site") && value == JsonToken.START_OBJECT) {
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        boolean wanted = parser.currentName().equals("listen");
                        if (parser.nextToken() == JsonToken.VALUE_STRING && wanted) {
                            listen = parser.getText();
                        }
                        parser.skipChildren();
                    }
                } else {
                    parser.skipChildren();
                }
            }
        }
        return pid > 0 && listen != null ? new RunningNode(pid, listen) : null;
    }

    /** Whether the site listens on address: the same port on the same host, whatever name the config gives it. */
    boolean serves(ListenAddress address) {
        ListenAddress own = ListenAddress.parse(siteListen, "site.listen");
        try {
            return own.port() == address.port()
                    && InetAddress.getByName(own.host()).equals(InetAddress.getByName(address.host()));
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
