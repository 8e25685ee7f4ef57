package io.haflare.launcher.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Values with the time they began, kept for a window (an hour): what the status page draws as bands. */
public final class Timeline<T> {
    /** A value that held from {@code at} until the next entry. */
    public record Entry<T>(Instant at, T value) {}

    private final Duration window;
    private final List<Entry<T>> entries = new ArrayList<>();

    public Timeline(Duration window) {
        this.window = window;
    }

    public synchronized void record(T value) {
        if (!entries.isEmpty() && entries.get(entries.size() - 1).value().equals(value)) {
            return;
        }
        entries.add(new Entry<>(Instant.now(), value));
        Instant cutoff = Instant.now().minus(window);
        // keep the last entry older than the window: it says what held when the window starts
        while (entries.size() > 1 && entries.get(1).at().isBefore(cutoff)) {
            entries.remove(0);
        }
    }

    public synchronized List<Entry<T>> entries() {
        return List.copyOf(entries);
    }
}
