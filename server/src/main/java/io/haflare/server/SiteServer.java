package io.haflare.server;

import io.haflare.server.files.ConditionalHandler;
import io.haflare.server.files.HeadersHandler;
import io.haflare.server.files.HitHandler;
import io.haflare.server.files.RangeHandler;
import io.haflare.server.files.Release;
import io.haflare.server.files.SendHandler;
import io.haflare.server.files.SiteRules;
import io.haflare.server.files.VariantHandler;
import io.haflare.server.http.NotFoundHandler;
import io.haflare.server.http.OnCompletion;
import io.haflare.server.http.OwnProbe;
import io.haflare.server.http.SupportedRequestHandler;
import io.haflare.server.http.WelcomeHandler;
import io.haflare.server.log.AccessLog;
import io.haflare.server.log.ParserRefusals;
import io.haflare.server.metrics.RequestMetrics;
import io.haflare.server.net.BindFailure;
import io.haflare.server.net.ConnectionReclaim;
import io.haflare.server.net.FairSelectorProvider;
import io.haflare.server.net.FullWarning;
import io.haflare.server.net.HttpListeners;
import io.haflare.server.net.OpenFileLimit;
import io.haflare.server.net.StallTimeout;
import io.haflare.server.path.CleanUrlHandler;
import io.haflare.server.path.SafePathHandler;
import io.haflare.server.path.SiteRoot;
import io.haflare.server.rules.RedirectHandler;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.GracefulShutdownHandler;
import org.xnio.Options;
import org.xnio.OptionMap;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Builds the request chain from a SiteConfig and runs it on Undertow, with the admin API on a listener of
 * its own when one is given: nothing of it is reachable through the site port (and so through the tunnel).
 */
public final class SiteServer implements AutoCloseable {
    /**
     * One background thread hashes each new release's files, so status can show what a node serves. It
     * starts a second after the release is first used: hashing a large site must not compete for the CPU
     * with the first requests after a start or a deploy switch.
     */
    private static final java.util.concurrent.ScheduledExecutorService FINGERPRINTS =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "content-fingerprint");
                t.setDaemon(true);
                t.setPriority(Thread.MIN_PRIORITY);
                return t;
            });
    private static final java.time.Duration FINGERPRINT_DELAY = java.time.Duration.ofSeconds(1);

    /**
     * Numbers each server's XNIO worker, whose name its IO threads carry: that is how a request Undertow refuses
     * while parsing it is told to the right server (ParserRefusals). The admin listener shares the worker, so
     * its refusals count with the site's; only local clients reach it.
     */
    private static final AtomicInteger WORKERS = new AtomicInteger();

    /** The admin listener: where, and what answers there. */
    public record AdminListener(String host, int port, HttpHandler handler) {}

    private final HttpListeners listeners;
    private final GracefulShutdownHandler graceful;
    private final AccessLog accessLog;
    private final RequestMetrics metrics;
    private final InetSocketAddress address;
    private final InetSocketAddress adminAddress;
    private final SiteRoot root;
    private final OwnProbe probe;
    private final AutoCloseable refusals;
    private final ConnectionReclaim connections;

    private SiteServer(Bound bound, GracefulShutdownHandler graceful, ConnectionReclaim connections,
                       AccessLog accessLog, RequestMetrics metrics, OwnProbe probe, SiteRoot root,
                       AutoCloseable refusals) {
        this.root = root;
        this.refusals = refusals;
        this.probe = probe;
        this.listeners = bound.listeners();
        this.address = bound.site();
        this.adminAddress = bound.admin();
        this.graceful = graceful;
        this.connections = connections;
        this.accessLog = accessLog;
        this.metrics = metrics;
    }

    /**
     * The request path, in order: safe path → supported request (version, method, body framing) → _redirects →
     * clean URL → encoding variant → a whole file from memory written at once, or headers → conditional →
     * range → send; the nearest 404 page for what resolves to nothing.
     */
    static HttpHandler siteChain(SiteRoot root, SiteConfig config) {
        HttpHandler send = new RangeHandler(new SendHandler());
        HttpHandler file = new VariantHandler(new HitHandler(new HeadersHandler(new ConditionalHandler(send))));
        HttpHandler resolve = new CleanUrlHandler(file, new NotFoundHandler());
        return new SafePathHandler(root, config.limits().maxUrlLength(),
                new SupportedRequestHandler(new RedirectHandler(resolve)));
    }

    public static SiteServer start(SiteConfig config, SiteRules.Listener listener) throws ServerStartException {
        return start(config, listener, null);
    }

    public static SiteServer start(SiteConfig config, SiteRules.Listener listener, AdminListener admin)
            throws ServerStartException {
        HttpHandler handler;
        SiteRoot root = null;
        if (config.root() == null) {
            handler = new SupportedRequestHandler(new WelcomeHandler());
        } else {
            root = new SiteRoot(config.root(), config.fileCache().validity().toNanos(), dir -> {
                Release release = new Release(dir, config, listener);
                FINGERPRINTS.schedule(release::computeFingerprint, FINGERPRINT_DELAY.toMillis(),
                        TimeUnit.MILLISECONDS); // never on the request path
                return release;
            });
            handler = siteChain(root, config);
        }
        AccessLog accessLog;
        try {
            accessLog = AccessLog.open(config.accessLog(), listener::warn);
        } catch (IOException e) {
            throw new ServerStartException("cannot open access log " + config.accessLog() + ": " + e.getMessage()
                    + " (set the access log to stdout, off or a writable file)", e);
        }
        RequestMetrics metrics = new RequestMetrics();
        OwnProbe probe = new OwnProbe();
        Consumer<HttpServerExchange> recordVisit = accessLog == null ? metrics::record : exchange -> {
            metrics.record(exchange);
            accessLog.record(exchange);
        };
        int maxConnections = connectionCap(config, listener);
        ConnectionReclaim connections = new ConnectionReclaim(maxConnections, System::nanoTime,
                new FullWarning(maxConnections, listener::warn, System::nanoTime)::closing);
        GracefulShutdownHandler graceful = new GracefulShutdownHandler(
                connections.track(OnCompletion.wrap(handler, probe::isVisitor, recordVisit)));
        String workerName = "haflare-" + WORKERS.incrementAndGet();
        AutoCloseable refusals = ParserRefusals.listen(workerName, () -> {
            metrics.refused();
            if (accessLog != null) {
                accessLog.refused();
            }
        });
        try {
            Bound bound = bind(config, admin, settings(config, maxConnections, workerName), graceful, connections);
            return new SiteServer(bound, graceful, connections, accessLog, metrics, probe, root, refusals);
        } catch (ServerStartException e) {
            closeQuietly(refusals);
            closeQuietly(accessLog);
            throw e;
        }
    }

    /** The connections the site listener may hold: as configured, or fewer under a low open-file limit. */
    private static int connectionCap(SiteConfig config, SiteRules.Listener listener) {
        int configured = config.limits().maxConnections();
        OptionalLong openFiles = OpenFileLimit.current();
        int allowed = OpenFileLimit.connectionsAllowed(configured, openFiles);
        if (allowed < configured / 2) { // a few short of the configured number is not worth a line
            listener.warn("at most " + allowed + " connections at once: the open-file limit is "
                    + openFiles.getAsLong() + " (raise it to " + OpenFileLimit.neededFor(configured) + " for " + configured
                    + ": LimitNOFILE= in the service, or ulimit -n)");
        }
        return allowed;
    }

    private record Bound(HttpListeners listeners, InetSocketAddress site, InetSocketAddress admin) {}

    /** Binds the site listener, then the admin one; on failure, says which address and frees what was bound. */
    private static Bound bind(SiteConfig config, AdminListener admin, HttpListeners.Settings settings,
                              HttpHandler site, ConnectionReclaim connections) throws ServerStartException {
        HttpListeners listeners = null;
        boolean siteBound = false;
        try {
            listeners = HttpListeners.start(settings);
            InetSocketAddress siteAddress = listeners.listen(config.host(), config.port(), site, connections::admitting);
            siteBound = true;
            InetSocketAddress adminAddress = admin == null ? null
                    : listeners.listen(admin.host(), admin.port(), admin.handler(), open -> open);
            return new Bound(listeners, siteAddress, adminAddress);
        } catch (IOException | RuntimeException e) {
            if (listeners != null) {
                listeners.close(); // what was bound is free again once this returns
            }
            throw siteBound
                    ? startFailure(admin.host(), admin.port(), "pass --admin HOST:PORT to use another address,"
                            + " or --admin off to run without the admin API", e)
                    : startFailure(config.host(), config.port(), "pass --listen HOST:PORT to use another address", e);
        }
    }

    /**
     * The send buffer of connections to a loopback listener (cloudflared's): the kernel doubles it to 512 KiB.
     * Left to autotuning it grows to 4 MiB, and then most of a large file waits in the kernel to be sent
     * when the reader acknowledges, on the reader's CPU; a loopback path needs no such depth. With it, the
     * 10 MB file of bench/serve-vs-nginx.sh went from 0.72x to 1.37x nginx's rate.
     * Other addresses keep autotuning, which a long network path needs.
     */
    static final int LOOPBACK_SEND_BUFFER = 256 * 1024;

    private static boolean isLoopback(String host) {
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false; // binding will fail and say so
        }
    }

    private static HttpListeners.Settings settings(SiteConfig config, int maxConnections, String workerName) {
        SiteConfig.Limits limits = config.limits();
        int ioThreads = config.ioThreads() > 0 ? config.ioThreads() : Runtime.getRuntime().availableProcessors();
        FairSelectorProvider.useForXnio(); // read when XNIO opens its first selector
        OptionMap.Builder socket = OptionMap.builder()
                // a full listener leaves new connections in the backlog (ConnectionReclaim makes room if it can)
                .set(Options.CONNECTION_HIGH_WATER, maxConnections)
                .set(Options.CONNECTION_LOW_WATER, maxConnections)
                .set(Options.BACKLOG, 1024); // TCP_NODELAY and the rest: HttpListeners' defaults
        if (isLoopback(config.host())) {
            socket.set(Options.SEND_BUFFER, LOOPBACK_SEND_BUFFER);
        }
        OptionMap server = OptionMap.builder()
                // SafePathHandler decodes the path itself, exactly once and strictly
                .set(UndertowOptions.DECODE_URL, false)
                // browsers send { } | ^ ` raw in a query (the WHATWG URL standard encodes only " # < > ' and
                // space there), as in a marketing link's unexpanded {{placeholder}} or *|MERGE|* tag: nginx serves
                // those; Undertow answered 400. RequestPath still refuses what a path must not hold.
                .set(UndertowOptions.ALLOW_UNESCAPED_CHARACTERS_IN_URL, true)
                // Undertow's default (its builder's, kept by HttpListeners) gathers pipelined answers into one buffer;
                // answers pipelined to a slow reader came out corrupted that way (heads twice, zeros, another
                // request's bytes: PipeliningTest).
                // cloudflared never pipelines, and nginx too writes each answer as it is ready.
                .set(UndertowOptions.BUFFER_PIPELINED_DATA, false)
                .set(UndertowOptions.RECORD_REQUEST_START_TIME, true) // for the duration histogram
                .set(UndertowOptions.MAX_HEADER_SIZE, limits.maxHeaderBytes())
                .set(UndertowOptions.MAX_HEADERS, limits.maxHeaders())
                // Undertow splits the query into parameters the node never reads, and refused a 1,001st with 400;
                // the URL's length limit (414, as nginx's) is the one that counts
                .set(UndertowOptions.MAX_PARAMETERS, limits.maxUrlLength())
                .set(UndertowOptions.MAX_ENTITY_SIZE, 1024L * 1024)
                .set(UndertowOptions.NO_REQUEST_TIMEOUT, (int) limits.idleTimeout().toMillis())
                .set(UndertowOptions.REQUEST_PARSE_TIMEOUT, (int) limits.requestParseTimeout().toMillis())
                // not UndertowOptions.IDLE_TIMEOUT: on HTTP/1.1 it adds a conduit whose timeout nothing sets; the
                // stall timeout does its job
                .getMap();
        return new HttpListeners.Settings(ioThreads, Math.max(8, ioThreads * 4), workerName, server, socket.getMap(),
                limits.idleTimeout());
    }

    private static ServerStartException startFailure(String host, int port, String remedy, Exception e) {
        String address = host + ":" + port;
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                return new ServerStartException(BindFailure.describe(address, port, cause.getMessage(), remedy), e);
            }
        }
        return new ServerStartException("cannot listen on " + address + ": " + e.getMessage(), e);
    }

    public InetSocketAddress address() {
        return address;
    }

    /** The release the root resolves to now, or null when the welcome page is served. */
    public Release currentRelease() {
        return root == null ? null : root.current();
    }

    /** What the site listener has served, for /metrics. */
    public RequestMetrics metrics() {
        return metrics;
    }

    /**
     * The header, name and value, that marks the node's own health probe: its requests are served like any
     * other but left out of the access log and the request metrics. The value is never to be logged.
     */
    public Map.Entry<String, String> probeHeader() {
        return Map.entry(OwnProbe.HEADER, probe.token());
    }

    /** The site listener's connections: how many are open, how many were closed idle to make room. */
    public ConnectionReclaim connections() {
        return connections;
    }

    /** Connections (site or admin) ended because no byte moved either way for the idle timeout. */
    public StallTimeout stalls() {
        return listeners.stalls();
    }

    /** The admin listener's bound address, or null without one. */
    public InetSocketAddress adminAddress() {
        return adminAddress;
    }

    /** Stops accepting new requests, lets in-flight ones finish within the grace period, then stops. */
    public void stop(Duration grace) {
        graceful.shutdown();
        try {
            graceful.awaitShutdown(grace.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        listeners.stop(Duration.ofSeconds(5)); // the ports are free again when this returns
        closeQuietly(refusals);
        closeQuietly(accessLog);
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // nothing useful to do with a log or a listener that fails to close at shutdown
            }
        }
    }
}
