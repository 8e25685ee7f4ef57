package io.haflare.launcher.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Probes the site at the pace {@link ProbePace} sets, keeps the last results for status, and reports each
 * change of the health gate's verdict ("GET / -> 404 in 3 ms (3/3)") to whoever listens (the agent's
 * supervisor). {@link #suspect} lets the server say it just answered a visitor with a 404 or 5xx: a probe
 * then runs at once rather than at the next interval.
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
    private final ProbePace pace;
    private final AtomicBoolean suspectQueued = new AtomicBoolean();
    private ScheduledFuture<?> next; // only touched on the scheduler thread
    private long lastProbeNanos = System.nanoTime();
    private final Deque<Probe> history = new ArrayDeque<>();
    private final Timeline<Boolean> verdicts = new Timeline<>(Duration.ofHours(1));
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "site-probe");
        t.setDaemon(true);
        return t;
    });
    private volatile Listener listener = (healthy, reason) -> { };

    public SiteMonitor(HealthProbe probe, HealthGate gate, ProbePace pace) {
        this.probe = probe;
        this.gate = gate;
        this.pace = pace;
    }

    public void listen(Listener newListener) {
        this.listener = newListener;
    }

    public void start() {
        scheduler.execute(this::probeOnce); // each probe schedules the next, on this one thread
    }

    /** Called from the server's IO threads on a failed response: cheap, never blocks, at most one queued. */
    public void suspect() {
        if (suspectQueued.compareAndSet(false, true)) {
            try {
                scheduler.execute(this::probeEarly);
            } catch (RejectedExecutionException e) {
                suspectQueued.set(false); // closing
            }
        }
    }

    private void probeEarly() {
        suspectQueued.set(false);
        boolean healthy;
        synchronized (this) {
            healthy = gate.healthy();
        }
        if (next != null && pace.earlyProbeAllowed(healthy, System.nanoTime() - lastProbeNanos) && next.cancel(false)) {
            probeOnce();
        }
    }

    private void probeOnce() {
        lastProbeNanos = System.nanoTime();
        HealthProbe.Result result = probe.probe();
        boolean changed;
        synchronized (this) {
            history.addFirst(new Probe(Instant.now(), result.ok(), result.description(), result.millis()));
            while (history.size() > HISTORY) {
                history.removeLast();
            }
            changed = gate.record(result.ok());
            next = scheduler.schedule(this::probeOnce, pace.after(gate.healthy(), result.ok()).toNanos(), TimeUnit.NANOSECONDS);
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
