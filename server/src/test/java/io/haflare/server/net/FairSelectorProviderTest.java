package io.haflare.server.net;

import io.haflare.server.HugoLikeSite;
import io.haflare.server.RunningServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Real sockets on loopback, a real selector: the order the IO thread would serve them in. */
class FairSelectorProviderTest {
    private final Map<SelectionKey, SocketChannel> clients = new ConcurrentHashMap<>();

    @Test
    void aConnectionServedLastAndThenLeftOutComesFirstOnceItIsReadyAgain() throws IOException {
        try (Selector selector = new FairSelectorProvider().openSelector();
             ServerSocketChannel listener = SelectorProvider.provider().openServerSocketChannel()) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            List<SelectionKey> keys = connect(listener, selector, 6);

            List<SelectionKey> first = readyRound(selector, keys);
            SelectionKey servedLast = first.get(5);
            List<SelectionKey> others = new ArrayList<>(keys);
            others.remove(servedLast);
            readyRound(selector, others);
            List<SelectionKey> third = readyRound(selector, keys);

            // the JDK's HashSet would hand the keys out in the first round's order again, this one last
            assertThat(third.get(0)).isSameAs(servedLast);
            assertThat(third.subList(1, 6)).containsExactlyElementsOf(first.subList(0, 5));
        } finally {
            for (SocketChannel client : clients.values()) {
                client.close();
            }
        }
    }

    @Test
    void theServersIoThreadsGetFairSelectors(@TempDir Path root) throws IOException {
        HugoLikeSite.create(root);
        int before = FairSelectorProvider.fairSelectorsOpened();
        try (RunningServer server = RunningServer.start(root)) {
            server.request().get("/").then().statusCode(200);
            assertThat(FairSelectorProvider.fairSelectorsOpened()).isGreaterThan(before);
        }
    }

    private List<SelectionKey> connect(ServerSocketChannel listener, Selector selector, int count) throws IOException {
        List<SelectionKey> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SocketChannel client = SocketChannel.open(listener.getLocalAddress());
            SocketChannel served = listener.accept();
            served.configureBlocking(false);
            SelectionKey key = served.register(selector, SelectionKey.OP_READ);
            clients.put(key, client);
            keys.add(key);
        }
        return keys;
    }

    /** Makes these connections readable, selects until all are, and returns them in the order handed out. */
    private List<SelectionKey> readyRound(Selector selector, List<SelectionKey> ready) throws IOException {
        for (SelectionKey key : ready) {
            clients.get(key).write(ByteBuffer.wrap(new byte[] {'x'}));
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (selector.selectedKeys().size() < ready.size() && System.nanoTime() < deadline) {
            selector.select(100);
        }
        SelectionKey[] handedOut = selector.selectedKeys().toArray(new SelectionKey[0]);
        selector.selectedKeys().clear();
        for (SelectionKey key : handedOut) {
            ((SocketChannel) key.channel()).read(ByteBuffer.allocate(16));
        }
        assertThat(handedOut).containsExactlyInAnyOrderElementsOf(ready);
        return Arrays.asList(handedOut);
    }
}
