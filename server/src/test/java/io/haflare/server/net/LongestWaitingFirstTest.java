package io.haflare.server.net;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class LongestWaitingFirstTest {
    private final Set<String> closed = new HashSet<>();
    private final LongestWaitingFirst<String> order = new LongestWaitingFirst<>(closed::contains);

    private String[] batch(String... keys) {
        order.order(keys, keys.length);
        return keys;
    }

    @Test
    void servesNeverServedConnectionsFirstThenTheLongestWaiting() {
        batch("c", "a");            // c served at 1, a at 2
        batch("b");                 // b at 3
        assertThat(batch("b", "a", "new", "c")).containsExactly("new", "c", "a", "b");
    }

    @Test
    void aConnectionServedLastInOneRoundIsNotServedLastAgainWhenOthersWaitedLonger() {
        batch("a", "b", "c", "d");
        batch("a", "b", "c");       // d missed this round
        assertThat(batch("a", "b", "c", "d")).startsWith("d");
    }

    @Test
    void reordersOnlyTheCountedPartOfAnArray() {
        String[] keys = {"x", "y", null, "left"};
        order.order(keys, 2);       // x at 1, y at 2
        batch("x");                 // x at 3
        order.order(keys, 2);
        assertThat(keys).containsExactly("y", "x", null, "left");
    }

    @Test
    void forgetsClosedConnectionsEveryThousandOrSoBatches() {
        for (int i = 0; i < 3000; i += 2) {
            String first = "k" + i;
            String second = "k" + (i + 1);
            batch(first, second);
            closed.add(first);
            closed.add(second);
        }
        // 1,500 batches of two: the sweep in batch 1,024 forgot the keys of the 1,023 closed before it
        assertThat(order.remembered()).isEqualTo(2 * (1500 - LongestWaitingFirst.PRUNE_EVERY + 1));
    }
}
