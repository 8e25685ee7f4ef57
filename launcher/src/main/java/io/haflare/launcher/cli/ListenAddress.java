package io.haflare.launcher.cli;

/** HOST:PORT as given to --listen; IPv6 hosts in brackets ("[::1]:8080"). */
public record ListenAddress(String host, int port) {
    public static ListenAddress parse(String value, String flag) {
        int scheme = value.indexOf("://");
        if (scheme >= 0) { // cloudflared's service URL (http://localhost:8080) copied here
            String address = value.substring(scheme + 3).replaceFirst("/.*", "");
            throw new UsageException(flag + " '" + value + "' is a URL: give the address alone, HOST:PORT ("
                    + address + ")");
        }
        if (value.startsWith(":") && !value.startsWith("::")) {
            throw new UsageException(flag + " '" + value + "' has no host: 127.0.0.1" + value + " for this machine"
                    + " only (cloudflared runs on it), or 0.0.0.0" + value + " for every interface");
        }
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new UsageException(flag + " '" + value + "' is not HOST:PORT (for example 127.0.0.1:8080)");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " '" + value + "': port '" + value.substring(colon + 1) + "' is not a number");
        }
        if (port < 0 || port > 65535) {
            throw new UsageException(flag + " '" + value + "': port " + port + " is outside 0-65535");
        }
        return new ListenAddress(host, port);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
