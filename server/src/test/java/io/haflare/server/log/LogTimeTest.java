package io.haflare.server.log;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class LogTimeTest {
    private static final DateTimeFormatter COMMON_LOG = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);

    @Test
    void formatsLikeNginxTimeLocal() {
        assertThat(LogTime.format(Instant.parse("2026-11-05T23:03:54Z").getEpochSecond(), ZoneId.of("UTC")))
                .isEqualTo("05/Nov/2026:23:03:54 +0000");
        assertThat(LogTime.format(Instant.parse("2026-07-01T00:00:09Z").getEpochSecond(), ZoneId.of("America/St_Johns")))
                .isEqualTo("30/Jun/2026:21:30:09 -0230");
    }

    @Test
    void agreesWithDateTimeFormatterAcrossMonthsZonesAndDaylightSaving() {
        String[] zones = {"UTC", "Europe/Paris", "America/St_Johns", "Asia/Kolkata", "Pacific/Chatham", "America/Los_Angeles"};
        for (String name : zones) {
            ZoneId zone = ZoneId.of(name);
            // every 9 days and 7 hours over three years: each month, both sides of each daylight-saving change
            for (long t = Instant.parse("2025-01-01T00:00:00Z").getEpochSecond(); t < 1_830_000_000L; t += 9 * 86400 + 7 * 3600 + 37) {
                assertThat(LogTime.format(t, zone)).as(name + " " + t)
                        .isEqualTo(COMMON_LOG.withZone(zone).format(Instant.ofEpochSecond(t)));
            }
        }
    }
}
