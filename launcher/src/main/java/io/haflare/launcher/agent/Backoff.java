package io.haflare.launcher.agent;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Restart delays after crashes: initial, doubling to a cap, with ±10% jitter so replicas that crashed together
 * do not restart in lockstep. A run that lasted resetAfter starts over from the initial delay.
 */
public final class Backoff {
    private final Duration initial;
    private final Duration max;
    private final Duration resetAfter;
    private final DoubleSupplier random;
    private int attempt;

    /** @param random values in [0, 1); a fixed supplier makes delays exact in tests */
    public Backoff(Duration initial, Duration max, Duration resetAfter, DoubleSupplier random) {
        this.initial = initial;
        this.max = max;
        this.resetAfter = resetAfter;
        this.random = random;
    }

    /** The delay before the next start, given how long the run that just ended lasted. */
    public Duration next(Duration lastRun) {
        if (lastRun.compareTo(resetAfter) >= 0) {
            attempt = 0;
        }
        long base = initial.toMillis() << Math.min(attempt, 20);
        long capped = Math.min(base, max.toMillis());
        attempt++;
        double jitter = 0.9 + 0.2 * random.getAsDouble();
        return Duration.ofMillis(Math.min(Math.round(capped * jitter), max.toMillis()));
    }

    public int attempt() {
        return attempt;
    }
}
