package io.haflare.server.net;

import io.undertow.UndertowOptions;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.protocol.http.HttpOpenListener;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * An XNIO worker and HTTP listeners on it, set up as Undertow's builder sets them up (the same defaults), but
 * with a say in what happens to each accepted connection, which the builder does not offer: the site
 * listener's connections pass through {@link ConnectionReclaim} before Undertow's open listener.
 */
public final class HttpListeners implements AutoCloseable {
    /**
     * ioThreads, workerThreads: the worker's threads; workerName: what its threads are called; serverOptions:
     * Undertow's (limits, timeouts); socketOptions: XNIO's for every listener (buffers, backlog, connection cap);
     * stallTimeout: how long a connection may move no byte either way ({@link StallTimeout}).
     */
    public record Settings(int ioThreads, int workerThreads, String workerName, OptionMap serverOptions,
                           OptionMap socketOptions, Duration stallTimeout) {}

    private final XnioWorker worker;
    private final ByteBufferPool buffers;
    private final OptionMap serverOptions;
    private final OptionMap socketOptions;
    private final StallTimeout stalls;
    private final List<AcceptingChannel<StreamConnection>> channels = new ArrayList<>();

    private HttpListeners(XnioWorker worker, ByteBufferPool buffers, Settings settings) {
        this.worker = worker;
        this.buffers = buffers;
        this.stalls = new StallTimeout(settings.stallTimeout());
        // Undertow's own defaults first, then ours over them, as its builder merges them
        this.serverOptions = OptionMap.builder()
                .set(UndertowOptions.NO_REQUEST_TIMEOUT, 60 * 1000)
                .set(UndertowOptions.BUFFER_PIPELINED_DATA, true)
                .addAll(settings.serverOptions())
                .getMap();
        // All but its accept balancing (BALANCING_TOKENS): one IO thread at a time accepts, and by XNIO's code one
        // that uses up its share of the connection cap while it holds the token stops accepting without passing
        // it on, so the listener accepts nothing, below its cap, until one of that thread's connections closes.
        this.socketOptions = OptionMap.builder()
                .set(Options.WORKER_IO_THREADS, worker.getIoThreadCount())
                .set(Options.TCP_NODELAY, true)
                .set(Options.REUSE_ADDRESSES, true)
                .set(Options.BACKLOG, 1000)
                .addAll(settings.socketOptions())
                .getMap();
    }

    /** Starts the worker's threads; listeners come with {@link #listen}. */
    public static HttpListeners start(Settings settings) throws IOException {
        Xnio xnio = Xnio.getInstance(HttpListeners.class.getClassLoader());
        XnioWorker worker = xnio.createWorker(OptionMap.builder()
                .set(Options.WORKER_IO_THREADS, settings.ioThreads())
                .set(Options.CONNECTION_HIGH_WATER, 1_000_000)
                .set(Options.CONNECTION_LOW_WATER, 1_000_000)
                .set(Options.WORKER_TASK_CORE_THREADS, settings.workerThreads())
                .set(Options.WORKER_TASK_MAX_THREADS, settings.workerThreads())
                .set(Options.TCP_NODELAY, true)
                .set(Options.CORK, true)
                .set(Options.WORKER_NAME, settings.workerName())
                .getMap());
        return new HttpListeners(worker, bufferPool(Runtime.getRuntime().maxMemory()), settings);
    }

    /**
     * Undertow's builder's choice: 16 KiB direct buffers (less 20 bytes of room for protocol headers), smaller
     * ones when the heap is small.
     */
    static ByteBufferPool bufferPool(long maxMemory) {
        if (maxMemory < 64L * 1024 * 1024) {
            return new DefaultByteBufferPool(false, 512, -1, 4);
        }
        if (maxMemory < 128L * 1024 * 1024) {
            return new DefaultByteBufferPool(true, 1024, -1, 4);
        }
        return new DefaultByteBufferPool(true, 16 * 1024 - 20, -1, 4);
    }

    /**
     * Binds host:port and serves it with this handler; onAccept may wrap the open listener (Undertow's, behind the
     * stall timeout's and the blank lines' conduits). Returns the bound address (the port chosen when 0 was asked
     * for).
     */
    public InetSocketAddress listen(String host, int port, HttpHandler handler,
                                    UnaryOperator<ChannelListener<StreamConnection>> onAccept) throws IOException {
        HttpOpenListener open = new HttpOpenListener(buffers, serverOptions);
        open.setRootHandler(BlankLinesBeforeRequests.around(handler));
        ChannelListener<StreamConnection> accepted =
                onAccept.apply(stalls.installing(BlankLinesBeforeRequests.installing(open)));
        AcceptingChannel<StreamConnection> channel = worker.createStreamConnectionServer(
                new InetSocketAddress(InetAddress.getByName(host), port),
                ChannelListeners.openListenerAdapter(accepted), socketOptions);
        channels.add(channel);
        channel.resumeAccepts();
        return channel.getLocalAddress(InetSocketAddress.class);
    }

    /** Every listener's connections ended because nothing moved for the stall timeout. */
    public StallTimeout stalls() {
        return stalls;
    }

    /**
     * Closes the listeners and then the connections still open, and waits for the worker's threads to end,
     * at most the given time: the ports are free again when this returns.
     */
    public void stop(Duration wait) {
        channels.forEach(IoUtils::safeClose);
        channels.clear();
        worker.shutdown();
        try {
            if (!worker.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                worker.shutdownNow();
                worker.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
        buffers.close();
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }
}
