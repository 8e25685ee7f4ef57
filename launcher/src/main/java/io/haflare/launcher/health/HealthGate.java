package io.haflare.launcher.health;

/**
 * Hysteresis over probe results: the site turns unhealthy after failureThreshold consecutive failures and
 * healthy again after successThreshold consecutive successes, so one slow response does not flap the agent.
 * It starts unhealthy: the agent starts only once the site has proven itself. A site that fails from the
 * start is a change too, once failureThreshold probes in a row say so, so that the log tells why the agent waits.
 */
public final class HealthGate {
    private final int failureThreshold;
    private final int successThreshold;
    private boolean healthy;
    private boolean decided;
    private int failures;
    private int successes;

    public HealthGate(int failureThreshold, int successThreshold) {
        this.failureThreshold = failureThreshold;
        this.successThreshold = successThreshold;
    }

    /** Records one probe; returns true when this result changed the verdict. */
    public boolean record(boolean success) {
        if (success) {
            failures = 0;
            successes++;
            if (!healthy && successes >= successThreshold) {
                healthy = true;
                decided = true;
                return true;
            }
        } else {
            successes = 0;
            failures++;
            if ((healthy || !decided) && failures >= failureThreshold) {
                healthy = false;
                decided = true;
                return true;
            }
        }
        return false;
    }

    public boolean healthy() {
        return healthy;
    }

    public int failureThreshold() {
        return failureThreshold;
    }

    public int successThreshold() {
        return successThreshold;
    }

    /** "2/3": the current run of results counted toward the threshold that would change the verdict. */
    public String progress() {
        return healthy ? failures + "/" + failureThreshold : successes + "/" + successThreshold;
    }
}
