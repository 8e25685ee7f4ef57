package io.haflare.server.files;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One shared value per key, for values many cached paths have in common (a header set, a Last-Modified
 * date): a response then reads an object already in the CPU's cache rather than its own copy. Bounded, so a
 * site whose paths all differ costs a copy each rather than an ever larger map.
 */
final class BoundedInterner<K, V> {
    private final int maxEntries;
    private final ConcurrentHashMap<K, V> shared = new ConcurrentHashMap<>();

    BoundedInterner(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    V intern(K key, Function<K, V> make) {
        V value = shared.get(key);
        if (value != null) {
            return value;
        }
        V made = make.apply(key);
        if (shared.size() < maxEntries) {
            V raced = shared.putIfAbsent(key, made);
            return raced != null ? raced : made;
        }
        return made;
    }

    void clear() {
        shared.clear();
    }
}
