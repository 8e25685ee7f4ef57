package io.haflare.server.files;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class BoundedInternerTest {
    @Test
    void equalKeysShareOneValueUpToTheBoundThenEachGetsItsOwn() {
        AtomicInteger made = new AtomicInteger();
        BoundedInterner<String, StringBuilder> interner = new BoundedInterner<>(2);
        StringBuilder a = interner.intern("a", k -> { made.incrementAndGet(); return new StringBuilder(k); });
        assertThat(interner.intern("a", StringBuilder::new)).isSameAs(a);
        interner.intern("b", StringBuilder::new);

        StringBuilder c1 = interner.intern("c", StringBuilder::new);
        StringBuilder c2 = interner.intern("c", StringBuilder::new);
        assertThat(c1).isNotSameAs(c2).hasToString("c");
        assertThat(c2).hasToString("c");
        assertThat(interner.intern("a", StringBuilder::new)).isSameAs(a);
        assertThat(made).hasValue(1);
    }

    @Test
    void clearForgetsEveryValue() {
        BoundedInterner<String, StringBuilder> interner = new BoundedInterner<>(2);
        StringBuilder a = interner.intern("a", StringBuilder::new);
        interner.clear();
        assertThat(interner.intern("a", StringBuilder::new)).isNotSameAs(a).hasToString("a");
    }
}
