package io.haflare.server.net;

/**
 * What a refused bind means, in words that say what to do: the system's message alone ("Permission denied")
 * would send the operator looking for another program on the port.
 */
public final class BindFailure {
    private BindFailure() {
    }

    /**
     * "127.0.0.1:80 cannot be bound: ports below 1024 need ... (pass --listen ...)".
     *
     * @param message the BindException's message
     * @param remedy  how to choose another address, for example "pass --listen HOST:PORT to use another address"
     */
    public static String describe(String address, int port, String message, String remedy) {
        String why = message == null ? "" : message;
        if (why.contains("in use")) {
            return address + " is already in use (stop what listens there, or " + remedy + ")";
        }
        if (why.contains("Permission denied") && port > 0 && port < 1024) {
            return address + " cannot be bound: ports below 1024 need root or the CAP_NET_BIND_SERVICE capability,"
                    + " and cloudflared reaches the node on any port (" + remedy + ", for example 8080)";
        }
        if (why.contains("Cannot assign requested address")) {
            return address + " cannot be bound: that host is not an address of this machine (" + remedy
                    + ", for example 127.0.0.1)";
        }
        return address + " cannot be bound (" + why + "): " + remedy;
    }
}
