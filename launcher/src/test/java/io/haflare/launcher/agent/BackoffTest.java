package io.haflare.launcher.agent;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {
    static final Duration SHORT_RUN = Duration.ofSeconds(2);

    Backoff backoff(double random) {
        return new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(60), () -> random);
    }

    @Test
    void doublesFromOneSecondToTheCap() {
        Backoff b = backoff(0.5);
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            delays.add(b.next(SHORT_RUN).toMillis());
        }
        assertThat(delays).containsExactly(1000L, 2000L, 4000L, 8000L, 16000L, 32000L, 60000L, 60000L, 60000L);
    }

    @Test
    void jitterStaysWithinTenPercentAndNeverPassesTheCap() {
        assertThat(backoff(0.0).next(SHORT_RUN)).isEqualTo(Duration.ofMillis(900));
        assertThat(backoff(0.999).next(SHORT_RUN).toMillis()).isBetween(1090L, 1100L);
        Backoff high = backoff(0.999);
        Duration last = Duration.ZERO;
        for (int i = 0; i < 10; i++) {
            last = high.next(SHORT_RUN);
        }
        assertThat(last).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void aStableRunResetsTheDelay() {
        Backoff b = backoff(0.5);
        b.next(SHORT_RUN);
        b.next(SHORT_RUN);
        assertThat(b.next(SHORT_RUN)).isEqualTo(Duration.ofSeconds(4));
        assertThat(b.next(Duration.ofSeconds(61))).isEqualTo(Duration.ofSeconds(1));
    }
}
