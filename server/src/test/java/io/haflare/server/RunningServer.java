package io.haflare.server;

import io.restassured.RestAssured;
import io.restassured.config.DecoderConfig;
import io.restassured.config.RedirectConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.specification.RequestSpecification;

import java.time.Duration;

/** The real server on an ephemeral loopback port, with a REST Assured spec that does not follow redirects. */
public final class RunningServer implements AutoCloseable {
    private static final java.util.logging.Logger XNIO = java.util.logging.Logger.getLogger("org.xnio");
    private static final java.util.logging.Logger UNDERTOW = java.util.logging.Logger.getLogger("io.undertow");

    static {
        XNIO.setLevel(java.util.logging.Level.WARNING);
        UNDERTOW.setLevel(java.util.logging.Level.WARNING);
    }

    private final SiteServer server;
    public final java.util.List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();

    private RunningServer(SiteConfig config) throws ServerStartException {
        this.server = SiteServer.start(config, warnings::add);
    }

    public static RunningServer start(SiteConfig config) {
        try {
            return new RunningServer(config.withListen("127.0.0.1", 0));
        } catch (ServerStartException e) {
            throw new IllegalStateException(e);
        }
    }

    public static RunningServer start(java.nio.file.Path root) {
        return start(SiteConfig.defaults(root).withAccessLog("off"));
    }

    public int port() {
        return server.address().getPort();
    }

    public RequestSpecification request() {
        return RestAssured.given()
                .baseUri("http://127.0.0.1")
                .port(port())
                .urlEncodingEnabled(false)
                .config(RestAssuredConfig.config()
                        .redirect(RedirectConfig.redirectConfig().followRedirects(false))
                        // raw bytes and no Accept-Encoding unless a test sets one
                        .decoderConfig(DecoderConfig.decoderConfig().noContentDecoders()));
    }

    /** What the site listener has served, as /metrics shows it. */
    public io.haflare.server.metrics.RequestMetrics metrics() {
        return server.metrics();
    }

    /** The header the node's own health probe sends. */
    public java.util.Map.Entry<String, String> probeHeader() {
        return server.probeHeader();
    }

    /** The site listener's connections open now. */
    public int openConnections() {
        return server.connections().open();
    }

    /** The site listener's connections accepted since the start. */
    public long acceptedConnections() {
        return server.connections().accepted();
    }

    /** Idle connections closed to make room, since the start. */
    public long reclaimedConnections() {
        return server.connections().reclaimed();
    }

    /** Connections ended because nothing moved for the idle timeout, since the start. */
    public long stalledConnections() {
        return server.stalls().stalled();
    }

    public RawHttp raw() {
        return new RawHttp(port());
    }

    @Override
    public void close() {
        server.stop(Duration.ofSeconds(2));
    }
}
