package io.haflare.launcher.health;

import java.time.Duration;

/**
 * When to probe next. HAProxy's `inter` and `fastinter`: every interval while nothing is wrong; once a probe
 * has failed on a healthy site, the next ones follow at the recheck interval, so a broken site is confirmed
 * (failureThreshold in a row) in tens of milliseconds instead of seconds. A quick failure (404, 5xx, refused)
 * is not a blip; slow ones are paced by the probe timeout anyway. Recovery keeps the normal interval, so an
 * agent is not restarted on a flicker.
 */
public record ProbePace(Duration interval, Duration recheck) {
    public Duration after(boolean gateHealthy, boolean lastProbeOk) {
        return gateHealthy && !lastProbeOk ? recheck : interval;
    }

    /** Whether a visitor's failed request may trigger a probe now: the site counts as healthy and no probe ran within the recheck interval. */
    public boolean earlyProbeAllowed(boolean gateHealthy, long nanosSinceLastProbe) {
        return gateHealthy && nanosSinceLastProbe >= recheck.toNanos();
    }
}
