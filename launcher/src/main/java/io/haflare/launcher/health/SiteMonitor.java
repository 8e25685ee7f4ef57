package io.haflare.launcher.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Probes the site every interval, keeps the last results for status, and reports each change of the
 * health gate's verdict ("GET / -> 404 in 3 ms (3/3)") to whoever listens (the agent's supervisor).
 */
public final class SiteMonitor implements AutoCloseable {
    /** One probe: when, and what it found. */
    public record Probe(Instant at, boolean ok, String description, long millis) {}

    /** Hears about verdict changes. */
    public interface Listener {
        void siteHealthChanged(boolean healthy, String reason);
    }

    private static final int HISTORY = 20;

    private final HealthProbe probe;
    private final HealthGate gate;
    private final Duration interval;
    private final Deque<Probe> history = new ArrayDeque<>();
    private final Timeline<Boolean> verdicts = new Timeline<>(Duration.ofHours(1));
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "site-probe");
        t.setDaemon(true);
        return t;
    });
    private volatile Listener listener = (healthy, reason) -> { };

    public SiteMonitor(HealthProbe probe, HealthGate gate, Duration interval) {
        this.probe = probe;
        this.gate = gate;
        this.interval = interval;
    }

    public void listen(Listener newListener) {
        this.listener = newListener;
    }

    public void start() {
        scheduler.scheduleWithFixedDelay(this::probeOnce, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void probeOnce() {
        HealthProbe.Result result = probe.probe();
        boolean changed;
        synchronized (this) {
            history.addFirst(new Probe(Instant.now(), result.ok(), result.description(), result.millis()));
            while (history.size() > HISTORY) {
                history.removeLast();
            }
            changed = gate.record(result.ok());
        }
        if (changed) {
            verdicts.record(gate.healthy());
            // the verdict just flipped, so the run that flipped it is the threshold of that side
            int run = gate.healthy() ? gate.successThreshold() : gate.failureThreshold();
            listener.siteHealthChanged(gate.healthy(), result.description() + " (" + run + "/" + run + ")");
        }
    }

    public synchronized boolean healthy() {
        return gate.healthy();
    }

    /** The verdict changes of the last hour (the first entry is the verdict an hour ago, if there was one). */
    public List<Timeline.Entry<Boolean>> verdicts() {
        return verdicts.entries();
    }

    /** The latest probes, newest first. */
    public synchronized List<Probe> recent() {
        return new ArrayList<>(history);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
