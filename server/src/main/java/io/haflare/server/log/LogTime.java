package io.haflare.server.log;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The access log's time, {@code 25/Nov/2026:23:03:54 +0000} (nginx's and Apache's $time_local). Written by hand
 * rather than with a {@code DateTimeFormatter}: its month names come through the locale providers, whose
 * resource bundles were the last ~25 ms of a start's class-loading trace, on the first request's thread.
 */
final class LogTime {
    private static final String[] MONTHS =
            {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    private LogTime() {
    }

    static String format(long epochSecond, ZoneId zone) {
        ZoneOffset offset = zone.getRules().getOffset(Instant.ofEpochSecond(epochSecond));
        LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, offset);
        int offsetMinutes = offset.getTotalSeconds() / 60;
        StringBuilder s = new StringBuilder(26);
        twoDigits(s, t.getDayOfMonth()).append('/').append(MONTHS[t.getMonthValue() - 1]).append('/');
        s.append(t.getYear()).append(':');
        twoDigits(s, t.getHour()).append(':');
        twoDigits(s, t.getMinute()).append(':');
        twoDigits(s, t.getSecond()).append(' ').append(offsetMinutes < 0 ? '-' : '+');
        twoDigits(s, Math.abs(offsetMinutes) / 60);
        return twoDigits(s, Math.abs(offsetMinutes) % 60).toString();
    }

    private static StringBuilder twoDigits(StringBuilder s, int value) {
        return s.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }
}
