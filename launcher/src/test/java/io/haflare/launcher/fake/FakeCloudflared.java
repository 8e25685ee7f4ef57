package io.haflare.launcher.fake;

import com.sun.net.httpserver.HttpServer;
import sun.misc.Signal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for cloudflared 2025.5.0 that behaves as ../shared/cloudflared-contract.md records: the same
 * flags, TUNNEL_TOKEN / --token-file, exit 255 for a bad or missing token, exit 1 when edge discovery fails
 * (no --edge: nothing to dial here), /ready /healthcheck /metrics on --metrics, the same log lines on stderr,
 * graceful SIGTERM/SIGINT that unregisters and waits for in-flight work up to --grace-period.
 * It "connects" by dialling each --edge address (an {@link EdgeSimulator} location), keeps each connection
 * alive with pings, and forwards the requests the edge sends to its origin, as cloudflared does (502 with
 * cloudflared's words when the origin refuses). On SIGTERM it unregisters each connection, serves what the
 * edge had already sent, and exits once nothing is in flight (bounded by --grace-period).
 * The origin is http://localhost:8080, as the one ingress rule of this project says; in the real agent it
 * comes from the dashboard, here FAKE_AGENT_ORIGIN may change it (two nodes on one machine need two ports).
 * Test switches (environment): FAKE_AGENT_CRASH_AFTER=seconds (with FAKE_AGENT_CRASH_FILE=path: only the
 * first FAKE_AGENT_CRASHES agents, default 1, crash), FAKE_AGENT_IGNORE_SIGTERM=1,
 * FAKE_AGENT_NEVER_READY=1, FAKE_AGENT_INFLIGHT_SECONDS=n (extra work to drain on SIGTERM),
 * FAKE_AGENT_EVENTS=file (what happened, one line each, for assertions).
 */
public final class FakeCloudflared {
    static final String VERSION = "2025.5.0";
    static final int HA_CONNECTIONS = 4;

    private static final PrintStream LOG = System.err;
    private static final Map<String, String> ENV = System.getenv();
    private static final Map<Integer, Socket> CONNECTIONS = new ConcurrentHashMap<>();
    private static final Map<Integer, OutputStream> OUTPUTS = new ConcurrentHashMap<>();
    private static final AtomicBoolean STOPPING = new AtomicBoolean();
    private static final AtomicInteger IN_FLIGHT = new AtomicInteger();
    private static final CountDownLatch UNREGISTERED = new CountDownLatch(HA_CONNECTIONS);
    private static final ExecutorService REQUESTS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "request");
        t.setDaemon(true);
        return t;
    });
    private static String origin = "http://localhost:8080";
    private static Path events;

    private FakeCloudflared() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("version"))) {
            System.out.println("cloudflared version " + VERSION + " (built 2025-05-20-1200 UTC)");
            return;
        }
        System.setProperty("sun.net.http.allowRestrictedHeaders", "true"); // pass Host on, as a proxy does
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
        origin = ENV.getOrDefault("FAKE_AGENT_ORIGIN", origin);
        if (ENV.containsKey("FAKE_AGENT_CRASH_AFTER") && crashesLeft()) {
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

    /** Counts this start against FAKE_AGENT_CRASHES when FAKE_AGENT_CRASH_FILE keeps the count. */
    private static boolean crashesLeft() throws IOException {
        if (!ENV.containsKey("FAKE_AGENT_CRASH_FILE")) {
            return true;
        }
        Path count = Path.of(ENV.get("FAKE_AGENT_CRASH_FILE"));
        int crashed = Files.exists(count) ? Files.readAllLines(count).size() : 0;
        if (crashed >= Integer.parseInt(ENV.getOrDefault("FAKE_AGENT_CRASHES", "1"))) {
            return false;
        }
        Files.writeString(count, "crash\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return true;
    }

    private static void holdConnection(int index, String edge, String connectorId) {
        while (!STOPPING.get()) {
            String[] hostPort = edge.split(":");
            try (Socket socket = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
                socket.setTcpNoDelay(true);
                OutputStream out = new BufferedOutputStream(socket.getOutputStream());
                TunnelWire.writeLine(out, "REGISTER " + index + " " + connectorId);
                InputStream in = new BufferedInputStream(socket.getInputStream());
                String answer = TunnelWire.readLine(in);
                if (answer == null || !answer.startsWith("OK ")) {
                    throw new IOException("edge refused registration");
                }
                OUTPUTS.put(index, out);
                CONNECTIONS.put(index, socket);
                log("INF", "Registered tunnel connection connIndex=" + index + " connection=" + UUID.randomUUID()
                        + " event=0 ip=" + hostPort[0] + " location=" + answer.substring(3).strip() + " protocol=quic");
                Thread ping = new Thread(() -> ping(socket, out), "ping-" + index);
                ping.setDaemon(true);
                ping.start();
                serveEdge(index, in, out);
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

    /** Reads what the edge sends on one connection until it closes: requests, and the unregister answer. */
    private static void serveEdge(int index, InputStream in, OutputStream out) throws IOException {
        String line;
        while ((line = TunnelWire.readLine(in)) != null) {
            if (line.startsWith("REQ ")) {
                TunnelWire.Frame request = TunnelWire.readFrame(line, in);
                IN_FLIGHT.incrementAndGet(); // counted before the unregister answer can be read: none is missed
                REQUESTS.execute(() -> {
                    try {
                        OriginResponse r = forward(index, request.word(2), request.word(3), request.headers());
                        synchronized (out) {
                            TunnelWire.writeResponse(out, Long.parseLong(request.word(1)), r.status(), r.headers(), r.body());
                        }
                    } catch (IOException e) {
                        log("ERR", "Failed to write the response to the edge error=\"" + e.getMessage() + "\" connIndex=" + index);
                    } finally {
                        IN_FLIGHT.decrementAndGet();
                    }
                });
            } else if (line.equals("UNREGISTERED")) {
                UNREGISTERED.countDown();
            }
        }
    }

    private record OriginResponse(int status, List<String[]> headers, byte[] body) {}

    /** The request to the origin, as cloudflared's proxy makes it; 502 with its words when the origin refuses. */
    private static OriginResponse forward(int index, String method, String target, List<String[]> headers) {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL(origin + target).openConnection();
            c.setRequestMethod(method);
            c.setInstanceFollowRedirects(false);
            c.setConnectTimeout(30_000);
            c.setReadTimeout(90_000);
            for (String[] h : headers) {
                c.addRequestProperty(h[0], h[1]);
            }
            int status = c.getResponseCode();
            List<String[]> answer = new ArrayList<>();
            for (Map.Entry<String, List<String>> e : c.getHeaderFields().entrySet()) {
                if (e.getKey() != null && !List.of("transfer-encoding", "connection", "keep-alive")
                        .contains(e.getKey().toLowerCase(java.util.Locale.ROOT))) {
                    e.getValue().forEach(v -> answer.add(new String[] {e.getKey(), v}));
                }
            }
            InputStream body = status >= 400 ? c.getErrorStream() : c.getInputStream();
            return new OriginResponse(status, answer, body == null ? new byte[0] : body.readAllBytes());
        } catch (IOException e) {
            String why = "Unable to reach the origin service. The service may be down or it may not be responding to"
                    + " traffic from cloudflared: dial tcp " + origin.replaceFirst("^https?://", "") + ": connect: "
                    + (e instanceof java.net.ConnectException ? "connection refused" : e.getMessage());
            log("ERR", " error=\"" + why + "\" connIndex=" + index + " event=1 ingressRule=0 originService=" + origin);
            return new OriginResponse(502, List.<String[]>of(new String[] {"Content-Type", "text/plain; charset=utf-8"}),
                    ("502 Bad Gateway: " + why + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Liveness for the edge, which has no other way to tell a silent connection from a dead one. */
    private static void ping(Socket socket, OutputStream out) {
        while (!socket.isClosed()) {
            try {
                synchronized (out) {
                    TunnelWire.writeLine(out, "PING");
                }
            } catch (IOException e) {
                return;
            }
            sleep(250);
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
                drainAndExit(graceSeconds);
            });
        }
    }

    /** Unregisters every connection, serves what the edge had already sent, then exits 0, all within the grace period. */
    private static void drainAndExit(long graceSeconds) {
        long deadline = System.nanoTime() + graceSeconds * 1_000_000_000L;
        Map<Integer, Socket> open = new java.util.TreeMap<>(CONNECTIONS);
        for (Map.Entry<Integer, Socket> c : open.entrySet()) {
            OutputStream out = OUTPUTS.get(c.getKey());
            try {
                synchronized (out) {
                    TunnelWire.writeLine(out, "UNREGISTER");
                }
            } catch (IOException e) {
                UNREGISTERED.countDown(); // nothing more can come over a broken connection
            }
            log("INF", "Unregistered tunnel connection connIndex=" + c.getKey() + " event=0 ip=127.0.0.1");
        }
        for (int missing = HA_CONNECTIONS - open.size(); missing > 0; missing--) {
            UNREGISTERED.countDown();
        }
        try {
            UNREGISTERED.await(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        while (IN_FLIGHT.get() > 0 && System.nanoTime() < deadline) {
            sleep(5);
        }
        if (!open.isEmpty() && ENV.containsKey("FAKE_AGENT_INFLIGHT_SECONDS")) {
            long inflight = Long.parseLong(ENV.get("FAKE_AGENT_INFLIGHT_SECONDS"));
            sleep(Math.min(inflight * 1000, Math.max(0, (deadline - System.nanoTime()) / 1_000_000)));
        }
        for (Socket s : open.values()) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing is all that matters
            }
        }
        CONNECTIONS.clear();
        exit(0);
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
