package io.voidrail.dealer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OneAtATimeTests {

    private final OneAtATime calls = new OneAtATime();

    @Test
    void callsThatComeAloneKeepItAndOneThatOverlapsEndsItUntilEnoughCameAloneAgain() {
        for (int i = 0; i < 1_000; i++) {
            calls.arrived(true);
        }
        assertThat(calls.holds()).isTrue();
        calls.arrived(false);
        assertThat(calls.holds()).isFalse();
        for (int i = 1; i < OneAtATime.ALONE_AGAIN; i++) {
            calls.arrived(true);
        }
        assertThat(calls.holds()).isFalse();
        calls.arrived(false); // counting starts again
        for (int i = 1; i < OneAtATime.ALONE_AGAIN; i++) {
            calls.arrived(true);
        }
        assertThat(calls.holds()).isFalse();
        calls.arrived(true);
        assertThat(calls.holds()).isTrue();
    }
}
