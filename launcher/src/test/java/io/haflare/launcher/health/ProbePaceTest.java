package io.haflare.launcher.health;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ProbePaceTest {
    private final ProbePace pace = new ProbePace(Duration.ofSeconds(1), Duration.ofMillis(25));

    @Test
    void rechecksQuicklyOnlyWhileAHealthySiteIsFailing() {
        assertThat(pace.after(true, true)).isEqualTo(Duration.ofSeconds(1));
        assertThat(pace.after(true, false)).isEqualTo(Duration.ofMillis(25));
        assertThat(pace.after(false, false)).as("a known-broken site is probed at the normal pace").isEqualTo(Duration.ofSeconds(1));
        assertThat(pace.after(false, true)).as("recovery is not hurried").isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aFailedVisitorRequestTriggersAtMostOneProbePerRecheckInterval() {
        assertThat(pace.earlyProbeAllowed(true, Duration.ofMillis(30).toNanos())).isTrue();
        assertThat(pace.earlyProbeAllowed(true, Duration.ofMillis(10).toNanos())).isFalse();
        assertThat(pace.earlyProbeAllowed(false, Duration.ofSeconds(5).toNanos())).isFalse();
    }
}
