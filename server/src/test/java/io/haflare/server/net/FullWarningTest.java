package io.haflare.server.net;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class FullWarningTest {
    private long now = 5;
    private final List<String> lines = new ArrayList<>();
    private final FullWarning warning = new FullWarning(10_000, lines::add, () -> now);

    @Test
    void saysSoAtOnceThenAtMostOnceAMinuteWithTheCountMeanwhile() {
        warning.closing(32);
        warning.closing(32);
        now += TimeUnit.SECONDS.toNanos(59);
        warning.closing(4);
        assertThat(lines).containsExactly(
                "all 10000 connections in use: closing the longest-idle to let new ones in (32 closed now)");

        now += TimeUnit.SECONDS.toNanos(1);
        warning.closing(1);
        assertThat(lines).hasSize(2).last()
                .isEqualTo("all 10000 connections in use: closing the longest-idle to let new ones in"
                        + " (37 closed in the last minute)");
    }
}
