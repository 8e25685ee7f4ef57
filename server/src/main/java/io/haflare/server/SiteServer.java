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
import io.haflare.server.net.FairSelectorProvider;
import io.haflare.server.net.OpenFileLimit;
import io.haflare.server.path.CleanUrlHandler;
import io.haflare.server.path.SafePathHandler;
import io.haflare.server.path.SiteRoot;
import io.haflare.server.rules.RedirectHandler;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.GracefulShutdownHandler;
import org.xnio.Options;
import org.xnio.XnioWorker;

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

    private final Undertow undertow;
    private final GracefulShutdownHandler graceful;
    private final AccessLog accessLog;
    private final RequestMetrics metrics;
    private final InetSocketAddress address;
    private final InetSocketAddress adminAddress;
    private final SiteRoot root;
    private final OwnProbe probe;
    private final AutoCloseable refusals;

    private SiteServer(Undertow undertow, GracefulShutdownHandler graceful, AccessLog accessLog, RequestMetrics metrics,
                       OwnProbe probe, SiteRoot root, AutoCloseable refusals) {
        this.root = root;
        this.refusals = refusals;
        this.probe = probe;
        this.undertow = undertow;
        this.graceful = graceful;
        this.accessLog = accessLog;
        this.metrics = metrics;
        this.address = (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
        this.adminAddress = undertow.getListenerInfo().size() > 1
                ? (InetSocketAddress) undertow.getListenerInfo().get(1).getAddress() : null;
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
        GracefulShutdownHandler graceful = new GracefulShutdownHandler(
                OnCompletion.wrap(handler, probe::isVisitor, recordVisit));
        int configured = config.limits().maxConnections();
        OptionalLong openFiles = OpenFileLimit.current();
        int maxConnections = OpenFileLimit.connectionsAllowed(configured, openFiles);
        if (maxConnections < configured / 2) { // a few short of the configured number is not worth a line
            listener.warn("at most " + maxConnections + " connections at once: the open-file limit is "
                    + openFiles.getAsLong() + " (raise it to " + OpenFileLimit.neededFor(configured) + " for " + configured
                    + ": LimitNOFILE= in the service, or ulimit -n)");
        }
        String workerName = "haflare-" + WORKERS.incrementAndGet();
        Undertow undertow = build(config, graceful, admin, maxConnections, workerName);
        AutoCloseable refusals = ParserRefusals.listen(workerName, () -> {
            metrics.refused();
            if (accessLog != null) {
                accessLog.refused();
            }
        });
        try {
            undertow.start();
        } catch (RuntimeException e) {
            closeQuietly(refusals);
            closeQuietly(accessLog);
            // Undertow binds the site listener first, then the admin one: how many it bound tells which address
            // failed. What it bound is closed by its worker's threads as they end, once they have.
            boolean adminFailed = admin != null && boundListeners(undertow) == 1;
            awaitRelease(undertow);
            throw adminFailed
                    ? startFailure(admin.host(), admin.port(), "pass --admin HOST:PORT to use another address,"
                            + " or --admin off to run without the admin API", e)
                    : startFailure(config.host(), config.port(), "pass --listen HOST:PORT to use another address", e);
        }
        return new SiteServer(undertow, graceful, accessLog, metrics, probe, root, refusals);
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

    private static Undertow build(SiteConfig config, HttpHandler handler, AdminListener admin, int maxConnections,
                                  String workerName) {
        SiteConfig.Limits limits = config.limits();
        int ioThreads = config.ioThreads() > 0 ? config.ioThreads() : Runtime.getRuntime().availableProcessors();
        FairSelectorProvider.useForXnio(); // read when Undertow starts XNIO
        Undertow.Builder builder = Undertow.builder().addHttpListener(config.port(), config.host());
        if (admin != null) {
            builder.addListener(new Undertow.ListenerBuilder().setType(Undertow.ListenerType.HTTP)
                    .setHost(admin.host()).setPort(admin.port()).setRootHandler(admin.handler()));
        }
        if (isLoopback(config.host())) {
            builder.setSocketOption(Options.SEND_BUFFER, LOOPBACK_SEND_BUFFER);
        }
        return builder
                .setWorkerOption(Options.WORKER_NAME, workerName)
                .setIoThreads(ioThreads)
                .setWorkerThreads(Math.max(8, ioThreads * 4))
                .setHandler(handler)
                // SafePathHandler decodes the path itself, exactly once and strictly
                .setServerOption(UndertowOptions.DECODE_URL, false)
                // Undertow's builder gathers pipelined answers into one buffer; answers pipelined to a slow reader
                // came out corrupted that way (heads twice, zeros, another request's bytes: PipeliningTest).
                // cloudflared never pipelines, and nginx too writes each answer as it is ready.
                .setServerOption(UndertowOptions.BUFFER_PIPELINED_DATA, false)
                .setServerOption(UndertowOptions.RECORD_REQUEST_START_TIME, true) // for the duration histogram
                .setServerOption(UndertowOptions.MAX_HEADER_SIZE, limits.maxHeaderBytes())
                .setServerOption(UndertowOptions.MAX_HEADERS, limits.maxHeaders())
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, 1024L * 1024)
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, (int) limits.idleTimeout().toMillis())
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, (int) limits.requestParseTimeout().toMillis())
                .setServerOption(UndertowOptions.IDLE_TIMEOUT, (int) limits.idleTimeout().toMillis())
                .setSocketOption(Options.CONNECTION_HIGH_WATER, maxConnections)
                .setSocketOption(Options.CONNECTION_LOW_WATER, maxConnections)
                .setSocketOption(Options.BACKLOG, 1024)
                .setSocketOption(Options.TCP_NODELAY, true)
                .build();
    }

    private static ServerStartException startFailure(String host, int port, String remedy, RuntimeException e) {
        String address = host + ":" + port;
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                String why = cause.getMessage() != null && cause.getMessage().contains("in use")
                        ? "is already in use" : "cannot be bound (" + cause.getMessage() + ")";
                return new ServerStartException(address + " " + why + " (stop what listens there, or " + remedy + ")",
                        e);
            }
        }
        return new ServerStartException("cannot listen on " + address + ": " + e.getMessage(), e);
    }

    private static int boundListeners(Undertow undertow) {
        try {
            return undertow.getListenerInfo().size();
        } catch (IllegalStateException e) {
            return 0; // failed before its first listener
        }
    }

    private static void awaitRelease(Undertow undertow) {
        // not Undertow.stop(): after a failed start it waits forever on worker threads that are gone
        XnioWorker worker = undertow.getWorker();
        if (worker != null) {
            try {
                worker.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
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
        undertow.stop();
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
