package io.haflare.launcher.cli;

import io.haflare.launcher.log.NodeLog;
import io.haflare.server.ServerStartException;
import io.haflare.server.SiteConfig;
import io.haflare.server.SiteServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** haflare-node: serves the site until SIGTERM or SIGINT (the supervisor of cloudflared joins it later). */
@Command(name = "haflare-node", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Serves a static site on localhost for Cloudflare Tunnel replicas.")
public final class NodeCommand implements Callable<Integer> {
    @Option(names = "--site", paramLabel = "DIR",
            description = "Directory to serve. Default: ./public when it exists, else an embedded welcome page.")
    Path site;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8080",
            description = "Address of the site listener (cloudflared's origin). Default: ${DEFAULT-VALUE}.")
    String listen;

    @Option(names = "--access-log", paramLabel = "stdout|off|FILE", defaultValue = "stdout",
            description = "Where the access log goes. Default: ${DEFAULT-VALUE}.")
    String accessLog;

    @Option(names = "--no-gzip", negatable = false,
            description = "Do not gzip compressible files on the fly (precompressed siblings are still served).")
    boolean noGzip;

    private final Path workingDir;

    public NodeCommand(Path workingDir) {
        this.workingDir = workingDir;
    }

    @Override
    public Integer call() throws Exception {
        ListenAddress address = ListenAddress.parse(listen, "--listen");
        Path root = SiteDirectory.choose(site, workingDir);
        SiteConfig config = SiteConfig.defaults(root)
                .withListen(address.host(), address.port())
                .withAccessLog(accessLog)
                .withGzipOnTheFly(!noGzip);
        NodeLog.quietLibraries();
        ShutdownSignals signals = ShutdownSignals.install();
        SiteServer server;
        try {
            server = SiteServer.start(config, message -> NodeLog.warn("server", message));
        } catch (ServerStartException e) {
            throw new UsageException(e.getMessage());
        }
        NodeLog.info("server", "serving " + (root == null ? "the embedded welcome page (no --site, no ./public)" : root)
                + " on http://" + new ListenAddress(address.host(), server.address().getPort()));
        signals.await();
        NodeLog.info("server", "stopping: finishing in-flight requests");
        server.stop(Duration.ofSeconds(10));
        NodeLog.info("server", "stopped");
        return ExitCodes.OK;
    }
}
