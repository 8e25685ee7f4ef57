package io.haflare.server.net;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Puts a batch of ready connections in the order they were last served, the longest-waiting first, and
 * stamps them as served in that order. Java NIO's level-triggered epoll and its HashSet of ready keys hand a
 * batch out in an order unrelated to how long each connection has waited, so under load some connections
 * keep missing a round and wait two; nginx's edge-triggered ready list is first come, first served. That
 * difference alone puts a tail on the 97th-99th percentiles (bench/FINDINGS.md, "Serving order"). Not thread-safe: one
 * selector thread owns it.
 */
final class LongestWaitingFirst<K> {
    /** Batches larger than this (never seen: epoll returns at most 1024 keys) keep the order they came in. */
    static final int MAX_BATCH = 2047;
    private static final int INDEX_BITS = 11;

    /** Batches between two sweeps for closed connections' stamps. */
    static final int PRUNE_EVERY = 1024;

    private final Map<K, long[]> lastServed = new IdentityHashMap<>();
    private final Predicate<K> gone;
    private long clock;
    private long batches;
    // Sized for the largest batch on first use: a branch first taken under load, such as growing these, makes
    // the JIT throw away the compiled method and compile it again on the serving CPU (seen as a p99 spike).
    private long[] sortKeys;
    private Object[] batch;
    private long[][] stamps;

    /** gone: whether a key's connection is closed, so its stamp can be forgotten. */
    LongestWaitingFirst(Predicate<K> gone) {
        this.gone = gone;
    }

    /** Reorders keys[0..count) in place. */
    @SuppressWarnings("unchecked")
    void order(Object[] keys, int count) {
        if (count < 1 || count > MAX_BATCH) {
            return;
        }
        if (count == 1) { // also every batch of a worker's temporary selector: no arrays for those
            stampOf((K) keys[0])[0] = ++clock;
            sweepEveryFewBatches();
            return;
        }
        if (sortKeys == null) {
            sortKeys = new long[MAX_BATCH + 1];
            batch = new Object[MAX_BATCH + 1];
            stamps = new long[MAX_BATCH + 1][];
        }
        for (int i = 0; i < count; i++) {
            long[] stamp = stampOf((K) keys[i]);
            stamps[i] = stamp;
            batch[i] = keys[i];
            sortKeys[i] = stamp[0] << INDEX_BITS | i;
        }
        Arrays.sort(sortKeys, 0, count);
        for (int i = 0; i < count; i++) {
            int from = (int) (sortKeys[i] & MAX_BATCH);
            keys[i] = batch[from];
            stamps[from][0] = ++clock;
            batch[from] = null;
            stamps[from] = null;
        }
        sweepEveryFewBatches();
    }

    private long[] stampOf(K key) {
        return lastServed.computeIfAbsent(key, k -> new long[1]); // never served: 0, so first
    }

    private void sweepEveryFewBatches() {
        if (++batches % PRUNE_EVERY == 0) { // regularly, for the same reason as the arrays' size
            lastServed.keySet().removeIf(gone);
        }
    }

    int remembered() {
        return lastServed.size();
    }
}
