package io.haflare.server.net;

import java.nio.channels.SelectionKey;
import java.util.HashSet;

/**
 * A selector's set of ready keys whose arrays come out longest-waiting first ({@link LongestWaitingFirst}).
 * XNIO's IO thread copies the set with {@code toArray} and serves the keys in that order; the JDK only adds,
 * removes and clears, which HashSet does as before.
 */
final class FairReadyKeys extends HashSet<SelectionKey> {
    private static final long serialVersionUID = 1L;

    private final transient LongestWaitingFirst<SelectionKey> order = new LongestWaitingFirst<>(key -> !key.isValid());

    @Override
    public Object[] toArray() {
        Object[] keys = super.toArray();
        order.order(keys, keys.length);
        return keys;
    }

    @Override
    public <T> T[] toArray(T[] into) {
        int count = size();
        T[] keys = super.toArray(into);
        order.order(keys, count);
        return keys;
    }
}
