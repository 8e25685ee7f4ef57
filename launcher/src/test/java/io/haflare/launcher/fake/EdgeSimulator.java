package io.haflare.launcher.fake;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small model of Cloudflare's edge for one tunnel, as ../shared/cloudflared-contract.md describes it and
 * no more. Agents dial a location's registration port (the real `--edge host:port` flag) and hold their HA
 * connections there; visitors send HTTP to {@link #visitorUri()}, and each request goes through one
 * connection of one replica, which forwards it to its origin.
 * <ul>
 * <li>Replica choice: the visitor's nearest location (the {@code X-Sim-Near} header, else the first of the
 *     preference), else the other locations in preference order; round-robin within a location.</li>
 * <li>Graceful stop: the agent unregisters, the edge stops routing to that connection at once and lets the
 *     requests already sent finish.</li>
 * <li>A killed or crashed agent says nothing (QUIC has no FIN): the edge keeps routing to its connections
 *     until it has heard nothing from them for {@code deadAfter}, and those requests fail with 502.</li>
 * <li>No connection at all: 530, "error code: 1033", as Cloudflare answers for a tunnel without a connector.</li>
 * </ul>
 * Not modelled: retries of failed requests on another connection, connection setup latency, the real
 * protocol. Each answer carries {@code X-Sim-Colo}: the location of the connection that served it.
 */
public final class EdgeSimulator implements AutoCloseable {
    /** deadAfter: how long a silent connection is still routed to; requestTimeout: how long a visitor waits. */
    public record Settings(Duration deadAfter, Duration requestTimeout) {
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(3), Duration.ofSeconds(30));
        }
    }

    private enum State { ROUTABLE, UNREGISTERED, LOST }

    private final Settings settings;
    private final Map<String, ServerSocket> locations = new LinkedHashMap<>();
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> roundRobin = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong deadConnectionFailures = new AtomicLong();
    private final HttpServer visitors;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "edge-simulator");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    public EdgeSimulator(String... locationNames) throws IOException {
        this(Settings.defaults(), locationNames);
    }

    public EdgeSimulator(Settings settings, String... locationNames) throws IOException {
        this.settings = settings;
        for (String name : locationNames) {
            ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            locations.put(name, server);
            threads.execute(() -> accept(name, server));
        }
        visitors = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        visitors.createContext("/", this::visit);
        visitors.setExecutor(Executors.newFixedThreadPool(64, r -> {
            Thread t = new Thread(r, "edge-visitor");
            t.setDaemon(true);
            return t;
        }));
        visitors.start();
        threads.execute(this::reapSilentConnections);
    }

    /** The first location's registration address, for `--edge`. */
    public String address() {
        return address(locations.keySet().iterator().next());
    }

    public String address(String location) {
        return "127.0.0.1:" + locations.get(location).getLocalPort();
    }

    public URI visitorUri() {
        return URI.create("http://127.0.0.1:" + visitors.getAddress().getPort());
    }

    /** Connections open and registered right now (not unregistered, not dropped). */
    public int connections() {
        return (int) connections.stream().filter(c -> c.state == State.ROUTABLE).count();
    }

    public int connections(String location) {
        return (int) connections.stream().filter(c -> c.state == State.ROUTABLE && c.location.equals(location)).count();
    }

    /** Requests that failed because they were routed to a connection whose agent had died unnoticed. */
    public long deadConnectionFailures() {
        return deadConnectionFailures.get();
    }

    /** One HA connection of one replica. */
    private final class Connection {
        final Socket socket;
        final String location;
        final OutputStream out;
        final Map<Long, CompletableFuture<TunnelWire.Frame>> pending = new ConcurrentHashMap<>();
        volatile State state = State.ROUTABLE;
        volatile long lastHeardNanos = System.nanoTime();

        Connection(Socket socket, String location) throws IOException {
            this.socket = socket;
            this.location = location;
            this.out = new BufferedOutputStream(socket.getOutputStream());
        }

        /** Sends a request unless the connection was unregistered meanwhile; false means: choose another. */
        boolean send(long id, String method, String target, List<String[]> headers, CompletableFuture<TunnelWire.Frame> answer)
                throws IOException {
            synchronized (out) {
                if (state == State.UNREGISTERED) {
                    return false;
                }
                pending.put(id, answer);
                TunnelWire.writeRequest(out, id, method, target, headers);
                return true;
            }
        }

        void unregister() throws IOException {
            synchronized (out) {
                state = State.UNREGISTERED;
                TunnelWire.writeLine(out, "UNREGISTERED");
            }
        }

        void failPending(String why) {
            pending.values().forEach(f -> f.completeExceptionally(new IOException(why)));
            pending.clear();
        }
    }

    private void accept(String location, ServerSocket server) {
        while (!closed) {
            try {
                Socket socket = server.accept();
                threads.execute(() -> serve(location, socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(String location, Socket socket) {
        Connection c = null;
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String hello = TunnelWire.readLine(in);
            if (hello == null || !hello.startsWith("REGISTER ")) {
                return;
            }
            c = new Connection(socket, location);
            synchronized (c.out) {
                TunnelWire.writeLine(c.out, "OK " + location);
            }
            connections.add(c);
            String line;
            while ((line = TunnelWire.readLine(in)) != null) {
                c.lastHeardNanos = System.nanoTime();
                if (line.startsWith("RES ")) {
                    TunnelWire.Frame response = TunnelWire.readFrame(line, in);
                    CompletableFuture<TunnelWire.Frame> f = c.pending.remove(Long.parseLong(response.word(1)));
                    if (f != null) {
                        f.complete(response);
                    }
                } else if (line.equals("UNREGISTER")) {
                    c.unregister();
                }
            }
        } catch (IOException e) {
            // the agent went away: handled below like an end of stream
        } finally {
            if (c != null) {
                if (c.state == State.UNREGISTERED || closed) {
                    connections.remove(c); // a graceful goodbye: gone at once
                } else {
                    c.state = State.LOST; // dead, but the edge learns it only when deadAfter has passed
                }
                c.failPending("the replica's connection broke");
            }
        }
    }

    private void reapSilentConnections() {
        while (!closed) {
            long now = System.nanoTime();
            for (Connection c : connections) {
                if (c.state != State.UNREGISTERED && now - c.lastHeardNanos > settings.deadAfter().toNanos()) {
                    connections.remove(c);
                    c.failPending("the replica's connection timed out");
                    try {
                        c.socket.close();
                    } catch (IOException ignored) {
                        // it is gone either way
                    }
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The connection a visitor near `near` is sent to: nearest location first, round-robin inside it. */
    private Connection choose(String near) {
        List<String> order = new ArrayList<>();
        if (near != null && locations.containsKey(near)) {
            order.add(near);
        }
        locations.keySet().stream().filter(l -> !order.contains(l)).forEach(order::add);
        for (String location : order) {
            List<Connection> candidates = connections.stream()
                    .filter(c -> c.location.equals(location) && c.state != State.UNREGISTERED).toList();
            if (!candidates.isEmpty()) {
                int turn = roundRobin.computeIfAbsent(location, l -> new AtomicInteger()).getAndIncrement();
                return candidates.get(Math.floorMod(turn, candidates.size()));
            }
        }
        return null;
    }

    private void visit(HttpExchange exchange) throws IOException {
        try (exchange) {
            String near = exchange.getRequestHeaders().getFirst("X-Sim-Near");
            String ray = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE) + "-"
                    + (near == null ? locations.keySet().iterator().next() : near).toUpperCase(Locale.ROOT);
            List<String[]> headers = forwardedHeaders(exchange, ray);
            while (true) {
                Connection c = choose(near);
                if (c == null) {
                    answer(exchange, 530, null, ray, "error code: 1033\n");
                    return;
                }
                if (c.state == State.LOST) {
                    deadConnectionFailures.incrementAndGet();
                    answer(exchange, 502, c.location, ray, "simulated edge: the replica's connection is dead but not"
                            + " yet detected\n");
                    return;
                }
                CompletableFuture<TunnelWire.Frame> answer = new CompletableFuture<>();
                long id = ids.incrementAndGet();
                try {
                    if (!c.send(id, exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers, answer)) {
                        continue; // unregistered between choice and send: another connection
                    }
                } catch (IOException e) {
                    c.pending.remove(id);
                    deadConnectionFailures.incrementAndGet();
                    answer(exchange, 502, c.location, ray, "simulated edge: the replica's connection broke\n");
                    return;
                }
                relay(exchange, c, ray, answer);
                return;
            }
        }
    }

    private void relay(HttpExchange exchange, Connection c, String ray, CompletableFuture<TunnelWire.Frame> answer)
            throws IOException {
        TunnelWire.Frame response;
        try {
            response = answer.get(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer(exchange, 524, c.location, ray, "error code: 524\n");
            return;
        } catch (Exception e) {
            answer(exchange, 502, c.location, ray, "simulated edge: " + e.getCause().getMessage() + "\n");
            return;
        }
        for (String[] h : response.headers()) {
            if (!h[0].equalsIgnoreCase("Content-Length") && !h[0].equalsIgnoreCase("Date")) {
                exchange.getResponseHeaders().add(h[0], h[1]);
            }
        }
        int status = Integer.parseInt(response.word(2));
        exchange.getResponseHeaders().set("CF-Ray", ray);
        exchange.getResponseHeaders().set("X-Sim-Colo", c.location);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head || status == 304 ? -1 : response.body().length == 0 ? -1 : response.body().length);
        if (!head && response.body().length > 0) {
            exchange.getResponseBody().write(response.body());
        }
    }

    private static List<String[]> forwardedHeaders(HttpExchange exchange, String ray) {
        List<String[]> headers = new ArrayList<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("X-Sim-Near") && !name.equalsIgnoreCase("Connection")) {
                values.forEach(v -> headers.add(new String[] {name, v}));
            }
        });
        String visitor = exchange.getRemoteAddress().getAddress().getHostAddress();
        headers.add(new String[] {"Cf-Ray", ray});
        headers.add(new String[] {"Cf-Connecting-Ip", visitor});
        headers.add(new String[] {"X-Forwarded-For", visitor});
        headers.add(new String[] {"X-Forwarded-Proto", "https"});
        headers.add(new String[] {"Cf-Visitor", "{\"scheme\":\"https\"}"});
        return headers;
    }

    private static void answer(HttpExchange exchange, int status, String location, String ray, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.getResponseHeaders().set("CF-Ray", ray);
        if (location != null) {
            exchange.getResponseHeaders().set("X-Sim-Colo", location);
        }
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() throws IOException {
        closed = true;
        visitors.stop(0);
        for (ServerSocket s : locations.values()) {
            s.close();
        }
        for (Connection c : connections) {
            c.socket.close();
        }
        threads.shutdownNow();
    }
}
