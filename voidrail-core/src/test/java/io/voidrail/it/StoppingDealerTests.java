package io.voidrail.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.voidrail.RouterMode;
import io.voidrail.client.ClientDealer;
import io.voidrail.dealer.RegistrationState;
import io.voidrail.dealer.ServiceDealer;

/** {@link ServiceDealer#close()}: a stopping dealer answers every call it runs before it leaves. */
class StoppingDealerTests {

    private static final int SLOTS = 4;

    /**
     * A call's worker posts its answer to the loop, then stops counting as in flight. Calls that end while the loop
     * is between its look at its mailbox and its check of what is in flight must still be answered: the loop once
     * left with their answers in its mailbox, and the router reported them DEALER_LOST (seen in CI with two calls
     * ending together). The state listener, which the loop runs in that very turn when it starts stopping, holds it
     * there until every call has ended.
     */
    @Test
    void callsThatEndWhileTheLoopLooksAtThemAreAllAnswered() {
        Gate gate = new Gate();
        try (Bus bus = Bus.start(RouterMode.FIFO)) {
            ServiceDealer dealer = bus.dealer(gate, b -> b.slots(SLOTS).inlineQuickCalls(false)
                    .stateListener((self, previous, current) -> {
                        if (current == RegistrationState.STOPPING) {
                            gate.open.countDown();
                            await().atMost(Duration.ofSeconds(5)).until(() -> self.inFlight() == 0);
                        }
                    }));
            ClientDealer client = bus.client();
            List<CompletableFuture<String>> calls = new ArrayList<>();
            for (int i = 0; i < SLOTS; i++) {
                calls.add(client.invokeAsync("Gate.hold", String.class, "call-" + i));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> dealer.inFlight() == SLOTS);

            dealer.close();

            for (int i = 0; i < SLOTS; i++) {
                assertThat(calls.get(i)).as("call %d", i).succeedsWithin(Duration.ofSeconds(10)).isEqualTo("call-" + i);
            }
        }
    }
}
