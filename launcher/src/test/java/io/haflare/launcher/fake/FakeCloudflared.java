package io.haflare.launcher.fake;

import com.sun.net.httpserver.HttpServer;
import sun.misc.Signal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A stand-in for cloudflared 2025.5.0 that behaves as ../shared/cloudflared-contract.md records: the same
 * flags, TUNNEL_TOKEN / --token-file, exit 255 for a bad or missing token, exit 1 when edge discovery fails
 * (no --edge: nothing to dial here), /ready /healthcheck /metrics on --metrics, the same log lines on stderr,
 * graceful SIGTERM/SIGINT that unregisters and waits for in-flight work up to --grace-period.
 * It "connects" by dialling each --edge address (FakeEdge answers "OK <location>").
 * Test switches (environment): FAKE_AGENT_CRASH_AFTER=seconds (with FAKE_AGENT_CRASH_ONCE_FILE=path: only
 * the first agent crashes), FAKE_AGENT_IGNORE_SIGTERM=1,
 * FAKE_AGENT_NEVER_READY=1, FAKE_AGENT_INFLIGHT_SECONDS=n (work to drain on SIGTERM),
 * FAKE_AGENT_EVENTS=file (what happened, one line each, for assertions).
 */
public final class FakeCloudflared {
    static final String VERSION = "2025.5.0";
    static final int HA_CONNECTIONS = 4;

    private static final PrintStream LOG = System.err;
    private static final Map<String, String> ENV = System.getenv();
    private static final Map<Integer, Socket> CONNECTIONS = new ConcurrentHashMap<>();
    private static final AtomicBoolean STOPPING = new AtomicBoolean();
    private static Path events;

    private FakeCloudflared() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("version"))) {
            System.out.println("cloudflared version " + VERSION + " (built 2025-05-20-1200 UTC)");
            return;
        }
        events = ENV.containsKey("FAKE_AGENT_EVENTS") ? Path.of(ENV.get("FAKE_AGENT_EVENTS")) : null;
        event("start pid=" + ProcessHandle.current().pid() + " argv=" + String.join(" ", args)
                + " token-in-env=" + ENV.containsKey("TUNNEL_TOKEN"));
        Flags flags = Flags.parse(args);
        String token = flags.token();
        if (token == null && flags.tunnelName == null) {
            LOG.println("\"cloudflared tunnel run\" requires the ID or name of the tunnel to run as the last command"
                    + " line argument or in the configuration file.");
            exit(255);
        }
        String tunnelId = token == null ? flags.tunnelName : tunnelId(token);
        if (tunnelId == null) {
            LOG.println("Provided Tunnel token is not valid.");
            exit(255);
        }
        String connectorId = UUID.randomUUID().toString();
        log("INF", "Starting tunnel tunnelID=" + tunnelId);
        log("INF", "Version " + VERSION + " (Checksum 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef)");
        log("INF", "Generated Connector ID: " + connectorId);
        startMetrics(flags.metrics, connectorId, tunnelId);
        installSignals(flags.gracePeriodSeconds);
        if (flags.edges.isEmpty()) {
            Thread.sleep(50);
            log("ERR", "edge discovery: error looking up Cloudflare edge IPs: the DNS query failed error=\"lookup"
                    + " _v2-origintunneld._tcp.argotunnel.com: no such host\"");
            log("ERR", "Initiating shutdown error=\"edge discovery: error looking up Cloudflare edge IPs\"");
            exit(1);
        }
        Path crashOnce = ENV.containsKey("FAKE_AGENT_CRASH_ONCE_FILE") ? Path.of(ENV.get("FAKE_AGENT_CRASH_ONCE_FILE")) : null;
        boolean crashes = ENV.containsKey("FAKE_AGENT_CRASH_AFTER") && (crashOnce == null || !Files.exists(crashOnce));
        if (crashes && crashOnce != null) {
            Files.writeString(crashOnce, "crashed once\n"); // the next agent started will not crash
        }
        if (crashes) {
            long millis = (long) (Double.parseDouble(ENV.get("FAKE_AGENT_CRASH_AFTER")) * 1000);
            Thread crash = new Thread(() -> {
                sleep(millis);
                log("ERR", "fake agent crashes now (FAKE_AGENT_CRASH_AFTER)");
                exit(1);
            });
            crash.setDaemon(true);
            crash.start();
        }
        if (!"1".equals(ENV.get("FAKE_AGENT_NEVER_READY"))) {
            for (int i = 0; i < HA_CONNECTIONS; i++) {
                int index = i;
                Thread t = new Thread(() -> holdConnection(index, flags.edges.get(index % flags.edges.size()), connectorId));
                t.setDaemon(true);
                t.start();
            }
        } else {
            log("INF", "Retrying connection in up to 2s connIndex=0 (FAKE_AGENT_NEVER_READY)");
        }
        Thread.currentThread().join(); // runs until a signal or a crash ends the process
    }

    private static void holdConnection(int index, String edge, String connectorId) {
        while (!STOPPING.get()) {
            String[] hostPort = edge.split(":");
            try (Socket socket = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
                OutputStream out = socket.getOutputStream();
                out.write(("REGISTER " + index + " " + connectorId + "\n").getBytes(StandardCharsets.UTF_8));
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                String answer = in.readLine();
                if (answer == null || !answer.startsWith("OK ")) {
                    throw new IOException("edge refused registration");
                }
                CONNECTIONS.put(index, socket);
                log("INF", "Registered tunnel connection connIndex=" + index + " connection=" + UUID.randomUUID()
                        + " event=0 ip=" + hostPort[0] + " location=" + answer.substring(3).strip() + " protocol=quic");
                while (in.readLine() != null) {
                    // hold the connection until the edge closes it
                }
                if (CONNECTIONS.remove(index) != null && !STOPPING.get()) {
                    log("INF", "Lost connection with the edge connIndex=" + index);
                }
            } catch (IOException e) {
                CONNECTIONS.remove(index);
                if (STOPPING.get()) {
                    return;
                }
                log("ERR", "Unable to establish connection with Cloudflare edge error=\"" + e.getMessage() + "\" connIndex=" + index);
            }
            if (!STOPPING.get()) {
                log("INF", "Retrying connection in up to 2s connIndex=" + index);
                sleep(1000);
            }
        }
    }

    private static void startMetrics(String address, String connectorId, String tunnelId) throws IOException {
        String[] hostPort = address.split(":");
        HttpServer server = HttpServer.create(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 16);
        server.createContext("/ready", exchange -> {
            int ready = CONNECTIONS.size();
            int status = ready > 0 ? 200 : 503;
            byte[] body = ("{\"status\":" + status + ",\"readyConnections\":" + ready + ",\"connectorId\":\""
                    + connectorId + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/healthcheck", exchange -> {
            byte[] body = "OK\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/metrics", exchange -> {
            StringBuilder text = new StringBuilder("# TYPE cloudflared_tunnel_ha_connections gauge\n")
                    .append("cloudflared_tunnel_ha_connections ").append(CONNECTIONS.size()).append('\n')
                    .append("cloudflared_tunnel_total_requests 0\ncloudflared_tunnel_request_errors 0\n");
            byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/diag/tunnel", exchange -> {
            byte[] body = ("{\"tunnelID\":\"" + tunnelId + "\",\"connectorID\":\"" + connectorId + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        log("INF", "Starting metrics server on " + hostPort[0] + ":" + server.getAddress().getPort() + "/metrics");
    }

    private static void installSignals(long graceSeconds) {
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                event("signal " + name);
                if (name.equals("TERM") && "1".equals(ENV.get("FAKE_AGENT_IGNORE_SIGTERM"))) {
                    log("INF", "ignoring signal terminated (FAKE_AGENT_IGNORE_SIGTERM)");
                    return;
                }
                if (!STOPPING.compareAndSet(false, true)) {
                    return;
                }
                log("INF", "Initiating graceful shutdown due to signal " + (name.equals("TERM") ? "terminated" : "interrupt") + " ...");
                boolean hadConnections = !CONNECTIONS.isEmpty();
                for (Map.Entry<Integer, Socket> c : new ArrayList<>(CONNECTIONS.entrySet())) {
                    CONNECTIONS.remove(c.getKey());
                    try {
                        c.getValue().close();
                    } catch (IOException ignored) {
                        // closing is all that matters
                    }
                    log("INF", "Unregistered tunnel connection connIndex=" + c.getKey() + " event=0 ip=127.0.0.1");
                }
                if (hadConnections && ENV.containsKey("FAKE_AGENT_INFLIGHT_SECONDS")) {
                    long inflight = Long.parseLong(ENV.get("FAKE_AGENT_INFLIGHT_SECONDS"));
                    sleep(Math.min(inflight, graceSeconds) * 1000);
                }
                exit(0);
            });
        }
    }

    /** The tunnel id inside a token (base64 JSON with "a", "t", "s"), or null when it is not valid. */
    static String tunnelId(String token) {
        try {
            String json = new String(Base64.getDecoder().decode(token.strip()), StandardCharsets.UTF_8);
            String a = field(json, "a");
            String t = field(json, "t");
            String s = field(json, "s");
            return a != null && t != null && s != null ? t : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String field(String json, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    static void log(String level, String message) {
        LOG.println(Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + level + " " + message);
        LOG.flush();
    }

    static synchronized void event(String text) {
        if (events == null) {
            return;
        }
        try {
            Files.writeString(events, System.currentTimeMillis() + " " + text + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // assertions will notice the missing line
        }
    }

    static void exit(int code) {
        event("exit " + code);
        LOG.flush();
        Runtime.getRuntime().halt(code);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The command line the contract page documents: global flags between `tunnel` and `run`. */
    static final class Flags {
        String metrics = "127.0.0.1:0";
        long gracePeriodSeconds = 30;
        String tokenFlag;
        String tokenFile;
        String tunnelName;
        final List<String> edges = new ArrayList<>();

        static Flags parse(String[] args) throws IOException {
            Flags f = new Flags();
            if (args.length == 0 || !args[0].equals("tunnel")) {
                usage("expected 'tunnel' as the first argument");
            }
            int i = 1;
            for (; i < args.length && !args[i].equals("run"); i++) {
                String arg = args[i];
                String name = arg.replaceFirst("^--?", "");
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (name.equals("no-autoupdate")) {
                    continue;
                }
                if (!List.of("metrics", "loglevel", "logfile", "pidfile", "grace-period", "protocol", "edge-ip-version",
                        "config", "edge", "token-file", "token").contains(name)) {
                    usage("flag provided but not defined: -" + name);
                }
                if (value == null) {
                    if (++i >= args.length) {
                        usage("flag needs an argument: -" + name);
                    }
                    value = args[i];
                }
                switch (name) {
                    case "metrics" -> f.metrics = value;
                    case "grace-period" -> f.gracePeriodSeconds = Long.parseLong(value.replace("s", ""));
                    case "edge" -> f.edges.add(value);
                    case "token-file" -> f.tokenFile = value;
                    case "token" -> f.tokenFlag = value;
                    default -> { }
                }
            }
            if (i >= args.length) {
                usage("expected the 'run' command");
            }
            if (i + 1 < args.length) {
                f.tunnelName = args[i + 1];
            }
            return f;
        }

        String token() throws IOException {
            if (tokenFlag != null) {
                return tokenFlag;
            }
            String env = ENV.get("TUNNEL_TOKEN");
            if (env != null && !env.isBlank()) {
                return env;
            }
            String file = tokenFile != null ? tokenFile : ENV.get("TUNNEL_TOKEN_FILE");
            return file == null ? null : Files.readString(Path.of(file)).strip();
        }

        private static void usage(String message) {
            LOG.println("Incorrect Usage: " + message);
            exit(255);
        }
    }
}
