package io.haflare.server.net;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.ProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.SelectorProvider;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JDK's selector provider, except that its selectors serve ready connections longest-waiting first
 * ({@link FairReadyKeys}). XNIO instantiates it by name ({@value #XNIO_PROPERTY}). The ready-key set is a
 * private field of the JDK's selector, so this needs {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED}
 * (the fat JAR's manifest and the packaged launchers carry it); without it, or on a JDK whose selector is
 * built differently, selectors keep the JDK's order and everything else works the same.
 */
public final class FairSelectorProvider extends SelectorProvider {
    static final String XNIO_PROPERTY = "xnio.nio.selector.provider";

    private static final AtomicInteger FAIR_SELECTORS = new AtomicInteger();
    private final SelectorProvider platform = SelectorProvider.provider();

    /** Has XNIO use this provider for the selectors it opens from now on, unless it was told otherwise. */
    public static void useForXnio() {
        if (System.getProperty(XNIO_PROPERTY) == null) {
            System.setProperty(XNIO_PROPERTY, FairSelectorProvider.class.getName());
        }
    }

    /** How many selectors got the fair order so far (the others have the JDK's, see the class comment). */
    public static int fairSelectorsOpened() {
        return FAIR_SELECTORS.get();
    }

    @Override
    public AbstractSelector openSelector() throws IOException {
        AbstractSelector selector = platform.openSelector();
        if (installFairKeys(selector)) {
            FAIR_SELECTORS.incrementAndGet();
        }
        return selector;
    }

    private static boolean installFairKeys(AbstractSelector selector) {
        try {
            Class<?> impl = Class.forName("sun.nio.ch.SelectorImpl");
            Field internal = impl.getDeclaredField("selectedKeys");
            Field exposed = impl.getDeclaredField("publicSelectedKeys");
            internal.setAccessible(true);
            exposed.setAccessible(true);
            if (!impl.isInstance(selector) || internal.get(selector).getClass() != HashSet.class) {
                return false; // built differently from the JDK 17 selector this was written against
            }
            Set<SelectionKey> keys = new FairReadyKeys();
            internal.set(selector, keys);
            exposed.set(selector, keys);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false; // not opened to us (InaccessibleObjectException) or not there: the JDK's order
        }
    }

    @Override
    public DatagramChannel openDatagramChannel() throws IOException {
        return platform.openDatagramChannel();
    }

    @Override
    public DatagramChannel openDatagramChannel(ProtocolFamily family) throws IOException {
        return platform.openDatagramChannel(family);
    }

    @Override
    public Pipe openPipe() throws IOException {
        return platform.openPipe();
    }

    @Override
    public ServerSocketChannel openServerSocketChannel() throws IOException {
        return platform.openServerSocketChannel();
    }

    @Override
    public SocketChannel openSocketChannel() throws IOException {
        return platform.openSocketChannel();
    }

    @Override
    public ServerSocketChannel openServerSocketChannel(ProtocolFamily family) throws IOException {
        return platform.openServerSocketChannel(family);
    }

    @Override
    public SocketChannel openSocketChannel(ProtocolFamily family) throws IOException {
        return platform.openSocketChannel(family);
    }
}
