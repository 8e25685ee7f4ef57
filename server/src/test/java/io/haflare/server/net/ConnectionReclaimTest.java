package io.haflare.server.net;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which connections a full listener closes: the choice alone, no sockets (IdleConnectionsTest has those). */
class ConnectionReclaimTest {
    private final ConnectionReclaim reclaim = new ConnectionReclaim(16, () -> 0, closing -> {});

    private List<ConnectionReclaim.Tracked> connections(long... idleSince) {
        List<ConnectionReclaim.Tracked> all = new ArrayList<>();
        for (long since : idleSince) {
            all.add(reclaim.new Tracked(null, since));
        }
        return all;
    }

    private static List<Long> chosen(ConnectionReclaim.Choice choice) {
        return choice.chosen().stream().map(ConnectionReclaim.Seen::since).sorted().toList();
    }

    /** Every idle connection old enough. */
    private static ConnectionReclaim.Choice longestIdle(List<ConnectionReclaim.Tracked> all) {
        return ConnectionReclaim.longestIdle(all, 32, Long.MAX_VALUE - 1);
    }

    @Test
    void takesTheLongestIdleAndLeavesBusyAndClosingOnesAlone() {
        List<ConnectionReclaim.Tracked> all = connections(ConnectionReclaim.BUSY, 50, ConnectionReclaim.CLOSING, 40,
                30, 70, 60, 20, 90, 80, 10, 100, 110, 120, 130, 140, 150, 160);
        // 16 idle: an eighth of them, the two idle since the earliest
        assertThat(chosen(longestIdle(all))).containsExactly(10L, 20L);
    }

    @Test
    void takesOneWhenFewAreIdleAndNoneWhenNoneAre() {
        assertThat(chosen(longestIdle(connections(30, ConnectionReclaim.BUSY, 10, 20)))).containsExactly(10L);
        assertThat(chosen(longestIdle(connections(ConnectionReclaim.BUSY, ConnectionReclaim.CLOSING)))).isEmpty();
    }

    @Test
    void leavesThoseIdleTooBrieflyAndSaysWhenTheFirstOfThemWillNotBe() {
        ConnectionReclaim.Choice choice = ConnectionReclaim.longestIdle(
                connections(500, 100, ConnectionReclaim.BUSY, 300, 200), 32, 250);

        assertThat(chosen(choice)).containsExactly(100L); // 200 is old enough too, but one in eight is one
        assertThat(choice.nextEligible()).isEqualTo(300L);
        assertThat(ConnectionReclaim.longestIdle(connections(500, 600), 32, 250).chosen()).isEmpty();
        assertThat(ConnectionReclaim.longestIdle(connections(ConnectionReclaim.BUSY), 32, 250).nextEligible())
                .isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void takesAtMostTheBatch() {
        long[] since = new long[1000];
        for (int i = 0; i < since.length; i++) {
            since[i] = 1000 - i;
        }
        List<Long> taken = chosen(longestIdle(connections(since)));
        assertThat(taken).hasSize(32).first().isEqualTo(1L);
        assertThat(taken).last().isEqualTo(32L);
    }

    @Test
    void aConnectionThatStartedARequestSinceItWasChosenIsNotClaimed() {
        ConnectionReclaim.Tracked tracked = reclaim.new Tracked(null, 10);
        List<ConnectionReclaim.Seen> seen = longestIdle(List.of(tracked)).chosen();
        tracked.idleSince = ConnectionReclaim.BUSY; // its thread marks it between the choice and the claim

        assertThat(tracked.claim(seen.get(0).since())).isFalse();
        assertThat(tracked.idleSince).isEqualTo(ConnectionReclaim.BUSY);
    }
}
