package io.voidrail.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The client's stream window: small at first, then as many items as fit the byte budget, within bounds. */
class StreamWindowTests {

    @Test
    void startsSmallThenGrowsToTheBoundForSmallItems() {
        StreamWindow window = new StreamWindow(1024);
        assertThat(window.initial()).isEqualTo(32);
        for (int i = 0; i < 8; i++) {
            window.received(100);
        }
        // 8 of 32 taken: the window opens to its bound
        assertThat(window.taken(8)).isEqualTo(1024 - 24);
        assertThat(window.target()).isEqualTo(1024);
    }

    @Test
    void largeItemsKeepTheWindowWithinTheByteBudget() {
        StreamWindow window = new StreamWindow(1024);
        for (int i = 0; i < 8; i++) {
            window.received(1024 * 1024); // 1 MiB items: 8 fit the budget, but never fewer than 16
        }
        assertThat(window.target()).isEqualTo(16);
        assertThat(window.taken(8)).isZero(); // 24 still open: more than the target
        assertThat(window.taken(16)).isEqualTo(8); // 8 open: 8 more
    }

    @Test
    void grantsOnlyWhenAQuarterOfTheTargetIsMissing() {
        StreamWindow window = new StreamWindow(64);
        window.received(10);
        assertThat(window.taken(8)).isEqualTo(64 - 24);
        assertThat(window.taken(8)).isZero(); // 56 open of 64: less than a quarter missing
        assertThat(window.taken(8)).isEqualTo(16);
        assertThat(window.bufferLimit()).isEqualTo(128);
    }

    @Test
    void aSmallBoundIsRaisedToTheMinimum() {
        StreamWindow window = new StreamWindow(4);
        assertThat(window.initial()).isEqualTo(16);
        assertThat(window.bufferLimit()).isEqualTo(32);
    }
}
