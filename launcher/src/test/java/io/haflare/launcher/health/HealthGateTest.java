package io.haflare.launcher.health;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HealthGateTest {
    @Test
    void startsUnhealthyAndNeedsConsecutiveSuccesses() {
        HealthGate gate = new HealthGate(3, 2);
        assertThat(gate.healthy()).isFalse();
        assertThat(gate.record(true)).isFalse();
        assertThat(gate.record(false)).isFalse();
        assertThat(gate.record(true)).isFalse();
        assertThat(gate.record(true)).isTrue();
        assertThat(gate.healthy()).isTrue();
    }

    @Test
    void aSiteFailingFromTheStartIsAVerdictOnce() {
        HealthGate gate = new HealthGate(3, 2);
        assertThat(gate.record(false)).isFalse();
        assertThat(gate.record(false)).isFalse();
        assertThat(gate.record(false)).as("the first verdict: the log says why the agent waits").isTrue();
        assertThat(gate.healthy()).isFalse();
        assertThat(gate.record(false)).isFalse();
        assertThat(gate.record(true)).isFalse();
        assertThat(gate.record(false)).isFalse();
        assertThat(gate.record(false)).isFalse();
        assertThat(gate.record(false)).as("no new verdict while it stays unhealthy").isFalse();
    }

    @Test
    void turnsUnhealthyOnlyAfterThreeFailuresInARow() {
        HealthGate gate = new HealthGate(3, 2);
        gate.record(true);
        gate.record(true);
        assertThat(gate.record(false)).isFalse();
        assertThat(gate.record(false)).isFalse();
        assertThat(gate.progress()).isEqualTo("2/3");
        assertThat(gate.record(true)).isFalse();
        assertThat(gate.record(false)).isFalse();
        assertThat(gate.record(false)).isFalse();
        assertThat(gate.record(false)).isTrue();
        assertThat(gate.healthy()).isFalse();
    }
}
