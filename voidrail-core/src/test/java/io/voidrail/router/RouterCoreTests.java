package io.voidrail.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.voidrail.RouterMode;
import io.voidrail.internal.protocol.MessageType;
import io.voidrail.internal.protocol.Protocol;
import io.voidrail.status.DealerState;
import io.voidrail.status.RouterStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The router's policy on a fake clock: liveness, grace periods, deadlines and dispatch order, with no socket and no
 * sleep. Defaults unless a test says otherwise: heartbeat timeout 10 s, busy allowance 5 min, start-up grace 5 s,
 * max queue wait 30 s.
 */
class RouterCoreTests {

    private static final Duration MS = Duration.ofMillis(1);
    private static final Duration GRACE = ServiceRouter.DEFAULT_STARTUP_GRACE;

    private static CoreDriver fifo() {
        return new CoreDriver(b -> b.mode(RouterMode.FIFO));
    }

    private static CoreDriver loadBalance() {
        return new CoreDriver(b -> b.mode(RouterMode.LOAD_BALANCE));
    }

    /** A Java dealer's registration whose {@code retry} method is idempotent and {@code once} is not. */
    private static ObjectNode retryAndOnce() {
        ObjectNode worker = CoreDriver.registration("W", "retry", "once");
        ((ObjectNode) worker.get("methods").get("retry").get("metadata")).put("idempotent", true);
        Protocol.DEALER_CAPABILITIES.forEach(worker.putArray("capabilities")::add);
        return worker;
    }

    @Nested
    class Liveness {

        @Test
        void anIdleDealerSilentForTheHeartbeatTimeoutTurnsInactiveAndAnyMessageRevivesIt() {
            CoreDriver router = fifo().javaDealer("W-1", "W", "work");
            router.advance(Duration.ofMillis(9_999));
            assertThat(router.state("W-1")).isEqualTo(DealerState.ACTIVE);
            router.advance(Duration.ofMillis(2));
            assertThat(router.state("W-1")).isEqualTo(DealerState.INACTIVE);
            router.heartbeat("W-1");
            assertThat(router.state("W-1")).isEqualTo(DealerState.ACTIVE);
        }

        @Test
        void heartbeatsKeepABusyDealerActive() {
            CoreDriver router = fifo().javaDealer("W-1", "W", "work").call("c1", "r1", "W.work", -1);
            for (int i = 0; i < 30; i++) {
                router.advance(Duration.ofSeconds(1)).heartbeat("W-1");
            }
            assertThat(router.state("W-1")).isEqualTo(DealerState.ACTIVE);
            assertThat(router.answers("c1")).isEmpty();
        }

        @Test
        void aBusyDealerThatAnnouncedBusyHeartbeatsIsLostAfterTheOrdinaryTimeout() {
            CoreDriver router = fifo().javaDealer("W-1", "W", "work").call("c1", "r1", "W.work", -1);
            assertThat(router.dispatched("W-1")).containsExactly("r1");
            router.advance(Duration.ofMillis(9_999));
            assertThat(router.answers("c1")).isEmpty();
            router.advance(Duration.ofMillis(2));
            CoreDriver.Sent lost = router.answer("c1");
            assertThat(lost.code()).isEqualTo("DEALER_LOST");
            assertThat(lost.error()).isEqualTo("Dealer W-1 was lost while running W.work (for 10000 ms)");
            assertThat(lost.json().path("request_id").asString()).isEqualTo("r1");
            assertThat(router.state("W-1")).isEqualTo(DealerState.INACTIVE);
        }

        @Test
        void aBusyPythonDealerSilentWhileItComputesIsKeptForTheBusyAllowance() {
            CoreDriver router = fifo().pythonDealer("P-1", "W", "work").call("c1", "r1", "W.work", -1);
            assertThat(router.dispatched("P-1")).containsExactly("r1");
            router.advance(Duration.ofMinutes(4));
            assertThat(router.answers("c1")).isEmpty();
            assertThat(router.state("P-1")).isEqualTo(DealerState.ACTIVE);
            router.advance(Duration.ofMinutes(1).plus(MS));
            assertThat(router.answer("c1").code()).isEqualTo("DEALER_LOST");
        }

        @Test
        void aPythonDealerBackToIdleHasTheOrdinaryTimeoutAgain() {
            CoreDriver router = fifo().pythonDealer("P-1", "W", "work").call("c1", "r1", "W.work", -1);
            router.advance(Duration.ofMinutes(2)).reply("P-1", "c1", "r1", "done");
            assertThat(router.answer("c1").json().path("result").asString()).isEqualTo("done");
            router.advance(Duration.ofSeconds(10).plus(MS));
            assertThat(router.state("P-1")).isEqualTo(DealerState.INACTIVE);
        }

        @Test
        void idempotentCallsOfALostDealerGoBackToTheHeadOfTheQueue() {
            CoreDriver router = fifo().register("W-1", retryAndOnce()).heartbeat("W-1").register("W-2", retryAndOnce());
            router.call("c1", "idem", "W.retry", -1).call("c1", "plain", "W.once", -1);
            // first registered first: W-1 takes the first call, W-2 the second
            assertThat(router.dispatched("W-1")).containsExactly("idem");
            assertThat(router.dispatched("W-2")).containsExactly("plain");
            router.call("c2", "waiting", "W.retry", -1);
            router.advance(Duration.ofSeconds(6)).heartbeat("W-2").advance(Duration.ofSeconds(4).plus(MS));
            assertThat(router.state("W-1")).isEqualTo(DealerState.INACTIVE);
            assertThat(router.answers("c1")).as("nothing of the lost dealer failed").isEmpty();
            router.reply("W-2", "c1", "plain", "ok");
            assertThat(router.answer("c1").json().path("result").asString()).isEqualTo("ok");
            assertThat(router.dispatched("W-2")).as("the re-queued call comes first").containsExactly("idem");
            router.reply("W-2", "c1", "idem", "again");
            assertThat(router.answer("c1").json().path("result").asString()).isEqualTo("again");
            assertThat(router.dispatched("W-2")).containsExactly("waiting");
        }

        @Test
        void inLoadBalanceModeTheIdempotentCallOfALostDealerGoesToAnother() {
            CoreDriver router = loadBalance().register("W-1", retryAndOnce()).register("W-2", retryAndOnce());
            router.call("c1", "idem", "W.retry", -1).call("c1", "plain", "W.once", -1);
            assertThat(router.dispatched("W-1")).containsExactly("idem");
            assertThat(router.dispatched("W-2")).containsExactly("plain");
            router.advance(Duration.ofSeconds(6)).heartbeat("W-2").advance(Duration.ofSeconds(4).plus(MS));
            assertThat(router.dispatched("W-2")).containsExactly("idem");
            router.advance(Duration.ofSeconds(6).plus(MS)); // now W-2 is lost too: its calls are re-queued or fail
            assertThat(router.answer("c1").code()).isEqualTo("DEALER_LOST");
        }

        @Test
        void aClosedConnectionShortensTheAllowanceOfADealerThatHeartbeats() {
            CoreDriver router = fifo().javaDealer("W-1", "W", "work").call("c1", "r1", "W.work", -1);
            router.heartbeat("W-1"); // right after its register, as Java and Python dealers do
            for (int i = 0; i < 3; i++) {
                router.advance(Duration.ofSeconds(1)).heartbeat("W-1"); // a heartbeat gap of 1 s is learnt
            }
            router.connectionClosed(CoreDriver.addressOf("W-1"));
            router.advance(Duration.ofMillis(2_999));
            assertThat(router.answers("c1")).isEmpty();
            router.advance(Duration.ofMillis(2));
            assertThat(router.answer("c1").code()).as("3 heartbeat gaps after the close, not 10 s").isEqualTo("DEALER_LOST");
        }

        @Test
        void aDealerThatSpeaksAfterItsConnectionClosedIsNotLost() {
            CoreDriver router = fifo().javaDealer("W-1", "W", "work").call("c1", "r1", "W.work", -1);
            router.advance(Duration.ofSeconds(1)).heartbeat("W-1");
            router.connectionClosed(CoreDriver.addressOf("W-1")).advance(Duration.ofMillis(300)).heartbeat("W-1");
            router.advance(Duration.ofSeconds(5));
            assertThat(router.answers("c1")).isEmpty();
            assertThat(router.state("W-1")).isEqualTo(DealerState.ACTIVE);
        }

        @Test
        void aClosedConnectionOfAnotherPeerOrOfABusyPythonDealerChangesNothing() {
            CoreDriver router = fifo().pythonDealer("P-1", "W", "work").call("c1", "r1", "W.work", -1);
            router.connectionClosed("127.0.0.1:1").connectionClosed(CoreDriver.addressOf("P-1"));
            router.advance(Duration.ofMinutes(1));
            assertThat(router.answers("c1")).as("silent while busy: it would not speak before its method ends").isEmpty();
            assertThat(router.state("P-1")).isEqualTo(DealerState.ACTIVE);
        }

        @Test
        void aDispatchTheSocketCannotDeliverGoesToAnotherDealer() {
            CoreDriver router = fifo().javaDealer("W-1", "W", "work").javaDealer("W-2", "W", "work");
            router.unreachable.add("W-1");
            router.call("c1", "r1", "W.work", -1);
            assertThat(router.dispatched("W-2")).containsExactly("r1");
            assertThat(router.state("W-1")).isEqualTo(DealerState.INACTIVE);
            assertThat(router.answers("c1")).isEmpty();
        }
    }

    @Nested
    class UnknownMethods {

        @Test
        void afterTheStartUpGraceACallForAMethodNoDealerRegisteredFailsAtOnce() {
            CoreDriver router = fifo().advance(GRACE).call("c1", "r1", "Nobody.home", 60_000);
            CoreDriver.Sent answer = router.answer("c1");
            assertThat(answer.code()).isEqualTo("NOT_FOUND");
            assertThat(answer.error()).isEqualTo("Method Nobody.home not found");
            assertThat(router.core.status(router.now).queues()).as("no queue for invented names").isEmpty();
        }

        @Test
        void inLoadBalanceModeToo() {
            CoreDriver router = loadBalance().advance(GRACE).call("c1", "r1", "Nobody.home", 60_000);
            CoreDriver.Sent answer = router.answer("c1");
            assertThat(answer.code()).isEqualTo("NOT_FOUND");
            assertThat(answer.error()).isEqualTo("No available service for method Nobody.home");
        }

        @Test
        void duringTheStartUpGraceACallWaitsForItsDealerToRegister() {
            CoreDriver router = fifo().advance(Duration.ofSeconds(1)).call("c1", "r1", "W.work", 60_000);
            router.advance(Duration.ofSeconds(2));
            assertThat(router.answers("c1")).isEmpty();
            router.javaDealer("W-1", "W", "work");
            assertThat(router.dispatched("W-1")).containsExactly("r1");
        }

        @Test
        void duringTheStartUpGraceInLoadBalanceModeToo() {
            CoreDriver router = loadBalance().advance(Duration.ofSeconds(1)).call("c1", "r1", "W.work", 60_000);
            assertThat(router.answers("c1")).isEmpty();
            router.javaDealer("W-1", "W", "work");
            assertThat(router.dispatched("W-1")).containsExactly("r1");
        }

        @Test
        void aCallNoDealerCameForFailsWhenTheGraceEnds() {
            CoreDriver router = fifo().advance(Duration.ofSeconds(1)).call("c1", "r1", "Nobody.home", 60_000);
            router.advance(GRACE.minusSeconds(1).minus(MS));
            assertThat(router.answers("c1")).isEmpty();
            router.advance(MS.multipliedBy(2));
            assertThat(router.answer("c1").code()).isEqualTo("NOT_FOUND");
            assertThat(router.core.status(router.now).queues()).isEmpty();
        }

        @Test
        void aCallWhoseDealersAreOnlyInactiveWaitsAtMostTheMaxQueueWait() {
            CoreDriver router = fifo().javaDealer("W-1", "W", "work").advance(Duration.ofSeconds(11));
            assertThat(router.state("W-1")).isEqualTo(DealerState.INACTIVE);
            router.call("c1", "r1", "W.work", 120_000);
            router.advance(Duration.ofSeconds(30).minus(MS));
            assertThat(router.answers("c1")).isEmpty();
            router.advance(MS.multipliedBy(2));
            CoreDriver.Sent answer = router.answer("c1");
            assertThat(answer.code()).isEqualTo("NOT_FOUND");
            assertThat(answer.error()).isEqualTo("No dealer offering W.work became active within 30000 ms (1 inactive or stopping)");
        }

        @Test
        void aCallWhoseDealerComesBackIsDispatched() {
            CoreDriver router = loadBalance().javaDealer("W-1", "W", "work").advance(Duration.ofSeconds(11));
            router.call("c1", "r1", "W.work", 120_000).advance(Duration.ofSeconds(20));
            assertThat(router.answers("c1")).isEmpty();
            router.heartbeat("W-1");
            assertThat(router.dispatched("W-1")).containsExactly("r1");
            assertThat(router.core.status(router.now).queues()).as("load balance lists no queues").isEmpty();
        }
    }

    @Nested
    class Deadlines {

        @Test
        void aQueuedCallPastItsDeadlineGetsDeadlineExceededSayingWhereItWaited() {
            CoreDriver router = fifo().javaDealer("W-1", "W", "work").call("c0", "r0", "W.work", -1);
            assertThat(router.dispatched("W-1")).containsExactly("r0");
            router.call("c1", "r1", "W.work", 5_000).call("c2", "r2", "W.work", 2_000);
            assertThat(router.core.nextTimer()).as("the earliest deadline is the next timer").isEqualTo(router.now + 2_000_000_000L);
            router.advance(Duration.ofMillis(2_000));
            CoreDriver.Sent second = router.answer("c2");
            assertThat(second.code()).isEqualTo("DEADLINE_EXCEEDED");
            assertThat(second.error()).isEqualTo("Deadline exceeded for W.work: queued for 2000 ms behind 1 call");
            router.heartbeat("W-1").advance(Duration.ofMillis(3_000));
            assertThat(router.answer("c1").error()).isEqualTo("Deadline exceeded for W.work: queued for 5000 ms behind 0 calls");
            router.reply("W-1", "c0", "r0", "done");
            assertThat(router.dispatched("W-1")).as("expired calls never run").isEmpty();
        }

        @Test
        void aRunningCallPastItsDeadlineIsAnsweredCancelledAtItsDealerAndKeepsItsSlotUntilTheDealerAnswers() {
            CoreDriver router = fifo().javaDealer("W-1", "W", "work").call("c1", "r1", "W.work", 3_000);
            router.call("c2", "r2", "W.work", -1);
            assertThat(router.dispatched("W-1")).containsExactly("r1");
            router.advance(Duration.ofMillis(1_500)).heartbeat("W-1").advance(Duration.ofMillis(1_500));
            CoreDriver.Sent answer = router.answer("c1");
            assertThat(answer.code()).isEqualTo("DEADLINE_EXCEEDED");
            assertThat(answer.error()).isEqualTo("Deadline exceeded for W.work: running on dealer W-1 for 3000 ms");
            CoreDriver.Sent cancel = router.take("W-1", MessageType.CANCEL_FROM_ROUTER).get(0);
            assertThat(cancel.text(0)).isEqualTo("c1");
            assertThat(cancel.json().path("request_id").asString()).isEqualTo("r1");
            assertThat(router.dispatched("W-1")).as("the dealer is still busy with it").isEmpty();
            ObjectNode cancelled = CoreDriver.CODEC.object().put("type", "error").put("request_id", "r1")
                    .put("error", "Call cancelled").put("code", "CANCELLED");
            router.replyFrame("W-1", "c1", cancelled);
            assertThat(router.answers("c1")).as("the client has its answer already").isEmpty();
            assertThat(router.dispatched("W-1")).containsExactly("r2");
        }

        @Test
        void aDealerThatDoesNotUnderstandCancelIsNotSentOne() {
            CoreDriver router = fifo().pythonDealer("P-1", "W", "work").call("c1", "r1", "W.work", 1_000);
            router.advance(Duration.ofMillis(1_000));
            assertThat(router.answer("c1").code()).isEqualTo("DEADLINE_EXCEEDED");
            assertThat(router.take("P-1", MessageType.CANCEL_FROM_ROUTER)).isEmpty();
        }

        @Test
        void aDealerThatAnnouncedTimeoutIsToldTheTimeLeftAtDispatch() {
            CoreDriver router = fifo().javaDealer("W-1", "W", "work").pythonDealer("P-1", "W", "work");
            router.call("c0", "r0", "W.work", -1).call("c0", "r00", "W.work", -1); // both dealers busy
            router.take();
            router.call("c1", "r1", "W.work", 5_000).call("c2", "r2", "W.work", 5_000);
            router.advance(Duration.ofMillis(2_000)).reply("W-1", "c0", "r0", 0).reply("P-1", "c0", "r00", 0);
            CoreDriver.Sent toJava = router.take("W-1", MessageType.CALL_FROM_ROUTER).get(0);
            assertThat(toJava.json().path("timeout_ms").asLong()).isEqualTo(3_000);
            assertThat(toJava.json().path("request_id").asString()).isEqualTo("r1");
            CoreDriver.Sent toPython = router.take("P-1", MessageType.CALL_FROM_ROUTER).get(0);
            assertThat(toPython.json().path("timeout_ms").asLong()).as("forwarded unchanged").isEqualTo(5_000);
        }

        @Test
        void anOlderJavaPeersAbsoluteDeadlineIsReadOnTheRoutersClock() {
            CoreDriver router = fifo().javaDealer("W-1", "W", "work").call("c0", "r0", "W.work", -1);
            ObjectNode request = CoreDriver.CODEC.object().put("type", "request").put("request_id", "r1")
                    .put("deadline_ms", router.wallMillis + 4_000);
            router.call("c1", "W.work", request);
            assertThat(router.core.nextTimer()).isEqualTo(router.now + 4_000_000_000L);
        }

        @Test
        void timeLeftIsPreferredToTheAbsoluteDeadline() {
            CoreDriver router = fifo().javaDealer("W-1", "W", "work").call("c0", "r0", "W.work", -1);
            ObjectNode request = CoreDriver.CODEC.object().put("type", "request").put("request_id", "r1")
                    .put("timeout_ms", 1_000).put("deadline_ms", router.wallMillis + 60_000);
            router.call("c1", "W.work", request);
            assertThat(router.core.nextTimer()).isEqualTo(router.now + 1_000_000_000L);
        }

        @Test
        void absurdDeadlinesAreRefusedWithBadRequestNamingTheField() {
            CoreDriver router = fifo().javaDealer("W-1", "W", "work");
            String[][] cases = { { "timeout_ms", "1e300" }, { "timeout_ms", "-1e300" }, { "timeout_ms", "-5" },
                    { "timeout_ms", "\"soon\"" }, { "timeout_ms", "NaN" }, { "deadline_ms", "1e300" },
                    { "deadline_ms", "-1" } };
            for (String[] bad : cases) {
                ObjectNode request = (ObjectNode) CoreDriver.CODEC.read(("{\"type\": \"request\", \"request_id\": \"r\", \""
                        + bad[0] + "\": " + bad[1] + "}").getBytes());
                router.call("c1", "W.work", request);
                CoreDriver.Sent answer = router.answer("c1");
                assertThat(answer.code()).as(bad[0] + "=" + bad[1]).isEqualTo("BAD_REQUEST");
                assertThat(answer.error()).startsWith("Invalid " + bad[0] + ": expected ");
            }
            assertThat(router.dispatched("W-1")).isEmpty();
        }

        @Test
        void aCallWithNoTimeLeftIsRefusedOnArrival() {
            CoreDriver router = fifo().javaDealer("W-1", "W", "work").call("c1", "r1", "W.work", 0);
            assertThat(router.answer("c1").error()).isEqualTo("Deadline exceeded for W.work: no time left when it reached the router");
            assertThat(router.dispatched("W-1")).isEmpty();
        }
    }

    @Nested
    class Dispatch {

        @Test
        void fifoHandsCallsOutInArrivalOrderOneAtATimePerSlot() {
            CoreDriver router = fifo().javaDealer("W-1", "W", "work");
            for (int i = 0; i < 5; i++) {
                router.call("c", "r" + i, "W.work", -1);
            }
            for (int i = 0; i < 5; i++) {
                assertThat(router.dispatched("W-1")).containsExactly("r" + i);
                router.reply("W-1", "c", "r" + i, i);
            }
            assertThat(router.answers("c")).hasSize(5);
        }

        @Test
        void fifoGivesTheNextCallToTheFirstRegisteredFreeDealer() {
            CoreDriver router = fifo().javaDealer("W-1", "W", "work").javaDealer("W-2", "W", "work");
            router.call("c", "a", "W.work", -1).call("c", "b", "W.work", -1).call("c", "c", "W.work", -1);
            assertThat(router.dispatched("W-1")).containsExactly("a");
            assertThat(router.dispatched("W-2")).containsExactly("b");
            router.reply("W-2", "c", "b", 0);
            assertThat(router.dispatched("W-2")).containsExactly("c");
        }

        @Test
        void loadBalanceChoosesTheLeastLoadedDealerAndRefusesWhenAllAreFull() {
            ObjectNode two = CoreDriver.registration("W", "work").put("max_concurrent", 2);
            CoreDriver router = loadBalance().register("A", two.deepCopy()).register("B", two.deepCopy())
                    .register("C", two.deepCopy());
            for (int i = 0; i < 6; i++) {
                router.call("c", "r" + i, "W.work", -1);
            }
            assertThat(router.dispatched("A")).containsExactly("r0", "r3");
            assertThat(router.dispatched("B")).containsExactly("r1", "r4");
            assertThat(router.dispatched("C")).containsExactly("r2", "r5");
            router.call("c", "r6", "W.work", -1);
            CoreDriver.Sent refused = router.answer("c");
            assertThat(refused.code()).isEqualTo("OVERLOADED");
            assertThat(refused.error()).isEqualTo("No available service for method W.work");
            router.reply("B", "c", "r1", 1).answers("c");
            router.call("c", "r7", "W.work", -1);
            assertThat(router.dispatched("B")).containsExactly("r7");
        }
    }

    @Nested
    class Cancels {

        @Test
        void aCancelTakesOutOnlyTheQueuedCallOfItsOwnClientAndId() {
            CoreDriver router = fifo().javaDealer("W-1", "W", "work").call("c1", "r0", "W.work", -1);
            router.call("c1", "r1", "W.work", -1).call("c1", "r2", "W.work", -1).call("c2", "r1", "W.work", -1);
            assertThat(router.dispatched("W-1")).containsExactly("r0");
            router.take();

            router.cancel("c2", "r2").cancel("c1", "unknown");
            assertThat(router.take()).as("nothing matched").isEmpty();
            router.cancel("c1", "r1");
            CoreDriver.Sent cancelled = router.answer("c1");
            assertThat(cancelled.code()).isEqualTo("CANCELLED");
            assertThat(cancelled.json().path("request_id").asString()).isEqualTo("r1");
            assertThat(router.core.indexedQueuedCalls()).isEqualTo(2);

            router.reply("W-1", "c1", "r0", 0);
            assertThat(router.dispatched("W-1")).containsExactly("r2");
            router.reply("W-1", "c1", "r2", 2);
            assertThat(router.dispatched("W-1")).as("the other client's r1").containsExactly("r1");
            assertThat(router.answers("c1")).hasSize(2);
            router.cancel("c2", "r1");
            assertThat(router.take("W-1", MessageType.CANCEL_FROM_ROUTER)).as("running now: cancelled at the dealer")
                    .hasSize(1);
        }

        @Test
        void whatACancelCanFindFollowsEveryWayIntoAndOutOfAQueueOrADealer() {
            CoreDriver router = fifo().javaDealer("W-1", "W", "work").javaDealer("W-2", "W", "work");
            router.call("c", "r0", "W.work", -1).call("c", "r1", "W.work", -1);
            router.call("c", "expires", "W.work", 1_000).call("c", "cancelled", "W.work", -1)
                    .call("c", "next", "W.work", -1);
            assertIndexed(router, 3, 2);
            router.advance(Duration.ofMillis(1_000)).heartbeat("W-1").heartbeat("W-2");
            assertThat(router.answer("c").code()).isEqualTo("DEADLINE_EXCEEDED");
            assertIndexed(router, 2, 2);
            router.cancel("c", "cancelled");
            assertIndexed(router, 1, 2);

            // a dispatch the socket cannot deliver puts the call back at the head of its queue
            router.unreachable.add("W-1");
            router.take();
            router.reply("W-1", "c", "r0", 0);
            assertThat(router.state("W-1")).isEqualTo(DealerState.INACTIVE);
            assertIndexed(router, 1, 1);
            router.reply("W-2", "c", "r1", 1);
            assertThat(router.dispatched("W-2")).containsExactly("next");
            assertIndexed(router, 0, 1);

            // no active dealer: the call waits, then fails after maxQueueWait
            router.reply("W-2", "c", "next", 2).take();
            assertIndexed(router, 0, 0);
            router.advance(Duration.ofSeconds(11));
            assertThat(router.state("W-2")).isEqualTo(DealerState.INACTIVE);
            router.call("c", "waits", "W.work", -1);
            assertIndexed(router, 1, 0);
            router.advance(Duration.ofSeconds(30));
            assertThat(router.answer("c").code()).isEqualTo("NOT_FOUND");
            assertIndexed(router, 0, 0);

            // a busy dealer lost: its call fails and is forgotten
            router.javaDealer("W-3", "W", "work").call("c", "lost", "W.work", -1);
            assertIndexed(router, 0, 1);
            router.advance(Duration.ofSeconds(11));
            assertThat(router.answers("c")).extracting(CoreDriver.Sent::code).containsExactly("DEALER_LOST");
            assertIndexed(router, 0, 0);

            router.javaDealer("W-4", "W", "work").call("c", "running-at-stop", "W.work", -1)
                    .call("c", "queued-at-stop", "W.work", -1);
            assertIndexed(router, 1, 1);
            router.core.shutdown(router.now);
            assertIndexed(router, 0, 0);
        }

        private static void assertIndexed(CoreDriver router, int queued, int running) {
            assertThat(router.core.queues.values().stream().mapToInt(java.util.ArrayDeque::size).sum())
                    .as("calls queued").isEqualTo(queued);
            assertThat(router.core.indexedQueuedCalls()).as("queued calls a cancel can find").isEqualTo(queued);
            assertThat(router.core.dealers.values().stream().mapToInt(dealer -> dealer.inFlight.size()).sum())
                    .as("calls running").isEqualTo(running);
            assertThat(router.core.indexedRunningCalls()).as("running calls a cancel can find").isEqualTo(running);
        }
    }

    @Test
    void aStoppingRouterTellsDealersAndAnswersEveryCallWithUnavailable() {
        CoreDriver router = fifo().javaDealer("W-1", "W", "work").call("c1", "r1", "W.work", -1)
                .call("c2", "r2", "W.work", -1);
        router.take();
        router.core.shutdown(router.now);
        Outbox.Message message;
        java.util.List<String> sent = new java.util.ArrayList<>();
        while ((message = router.outbox.poll()) != null) {
            String json = new String(message.frames().get(message.frames().size() - 1));
            sent.add(new String(message.frames().get(0)) + " " + message.type().token() + " " + json);
        }
        assertThat(sent).hasSize(3);
        assertThat(sent.get(0)).isEqualTo("W-1 router_shutdown ");
        assertThat(sent.get(1)).startsWith("c1 reply_from_router").contains("\"code\":\"UNAVAILABLE\"",
                "stopped while W.work was running on dealer W-1; its outcome is unknown");
        assertThat(sent.get(2)).startsWith("c2 reply_from_router").contains("\"code\":\"UNAVAILABLE\"",
                "stopped before W.work reached a dealer; it never ran");
    }

    /** With auth on, what a peer may do follows from the connection it authenticated on, not from its identity. */
    @Nested
    class ConnectionAuth {

        private static final String DEALER_KEY = io.voidrail.auth.ApiKeyManager.generateKey("dealer");
        private static final String CLIENT_KEY = io.voidrail.auth.ApiKeyManager.generateKey("client");
        private static final String ELSEWHERE = "127.0.0.1:9";

        /** Dealer D-1 (group D, method work) registered with its key, client c1 authenticated, nothing sent yet. */
        private CoreDriver secured() {
            CoreDriver router = new CoreDriver(b -> b.mode(RouterMode.FIFO).requireAuth(true)
                    .dealerApiKeys(java.util.List.of(DEALER_KEY)).clientApiKeys(java.util.List.of(CLIENT_KEY)));
            ObjectNode register = CoreDriver.registration("D", "work").put("api_key", DEALER_KEY);
            Protocol.DEALER_CAPABILITIES.forEach(register.putArray("capabilities")::add);
            router.register("D-1", register).auth("c1", CLIENT_KEY).take();
            return router;
        }

        private static void assertRefused(java.util.List<CoreDriver.Sent> errors, String text) {
            assertThat(errors).hasSize(1);
            assertThat(errors.get(0).code()).isEqualTo("UNAUTHENTICATED");
            assertThat(errors.get(0).error()).contains(text);
        }

        @Test
        void anotherConnectionUnderTheDealersIdentityCannotStopOverloadUnregisterOrAnswerForIt() {
            CoreDriver router = secured().call("c1", "r1", "D.work", -1);
            assertThat(router.dispatched("D-1")).containsExactly("r1");
            router.from("D-1", ELSEWHERE);
            for (MessageType signal : new MessageType[] { MessageType.SHUTDOWN, MessageType.OVERLOAD }) {
                router.signal("D-1", signal);
                assertRefused(router.take("D-1", MessageType.ERROR), "another connection");
            }
            router.register("D-1", CoreDriver.registration("D", "work")); // no key
            assertThat(router.take("D-1", MessageType.ERROR)).hasSize(1);
            router.replyFrame("D-1", "c1", CoreDriver.CODEC.object().put("type", "error").put("error", "forged"));
            router.reply("D-1", "c1", "r1", "forged");
            assertThat(router.take("D-1", MessageType.ERROR)).hasSize(2)
                    .allSatisfy(error -> assertThat(error.error()).contains("another connection"));
            router.heartbeat("D-1");
            assertRefused(router.take("D-1", MessageType.ERROR), "Heartbeat authentication failed"); // its register failed
            assertThat(router.take("D-1", MessageType.HEARTBEAT_ACK)).isEmpty();
            assertThat(router.answers("c1")).isEmpty();
            assertThat(router.state("D-1")).isEqualTo(DealerState.ACTIVE);

            router.from("D-1", null).reply("D-1", "c1", "r1", "genuine");
            assertThat(router.answer("c1").json().path("result").asString()).isEqualTo("genuine");
            router.call("c1", "r2", "D.work", -1);
            assertThat(router.dispatched("D-1")).containsExactly("r2");
        }

        @Test
        void aDealerThatReconnectedRegistersAgainWithItsKeyAndServes() {
            CoreDriver router = secured().from("D-1", ELSEWHERE).heartbeat("D-1");
            assertThat(router.take("D-1", MessageType.REREGISTER_REQUIRED)).hasSize(1);
            ObjectNode register = CoreDriver.registration("D", "work").put("api_key", DEALER_KEY);
            router.register("D-1", register);
            assertThat(router.take("D-1", MessageType.REGISTER_ACK)).hasSize(1);
            router.heartbeat("D-1").call("c1", "r1", "D.work", -1);
            assertThat(router.take("D-1", MessageType.HEARTBEAT_ACK)).hasSize(1);
            assertThat(router.dispatched("D-1")).containsExactly("r1");
        }

        @Test
        void aDealerConnectionCannotCallAndAClientConnectionCannotRegister() {
            CoreDriver router = secured().call("D-1", "r1", "D.work", -1);
            assertRefused(router.take("D-1", MessageType.ERROR), "dealer keys cannot call");
            router.register("c1", CoreDriver.registration("C", "steal").put("api_key", DEALER_KEY));
            assertRefused(router.take("c1", MessageType.ERROR), "client connections cannot register");
            assertThat(router.core.isKnown("C.steal")).isFalse();
        }

        @Test
        void aClientsAuthenticationStaysWithItsConnection() {
            CoreDriver router = secured().from("c1", ELSEWHERE).call("c1", "r1", "D.work", -1);
            assertRefused(router.take("c1", MessageType.ERROR), "Not authenticated");
            assertThat(router.dispatched("D-1")).isEmpty();
            router.from("c1", null).connectionClosed(CoreDriver.addressOf("c1")).call("c1", "r2", "D.work", -1);
            assertRefused(router.take("c1", MessageType.ERROR), "Not authenticated"); // closed: forgotten
            router.auth("c1", CLIENT_KEY).call("c1", "r3", "D.work", -1);
            assertThat(router.dispatched("D-1")).containsExactly("r3");
        }

        @Test
        void clientsSeePublicDealerIdsNotRoutingIdentities() {
            CoreDriver router = secured().query("c1", MessageType.CLUSTERS);
            tools.jackson.databind.JsonNode clusters = router.take("c1", MessageType.CLUSTERS_ACK).get(0).json().path("result");
            assertThat(clusters.propertyNames()).singleElement().satisfies(id -> {
                // the routing identity is D-1; a public id may start with D-1 by chance (D-1fd6fb7d)
                assertThat(id).matches("D-[0-9a-f]{8}").isNotEqualTo("D-1");
                assertThat(clusters.path(id).path("service_id").asString()).isEqualTo(id);
            });
            router.call("c1", "r1", "D.work", -1).advance(Duration.ofSeconds(11));
            assertThat(router.answer("c1").error()).doesNotContainPattern("\\bD-1\\b")
                    .contains(clusters.propertyNames().iterator().next());
        }
    }

    @Nested
    class IdLessReplies {

        @Test
        void anIdLessErrorAnswersAClientsOnlyCallOnTheDealerAndIsDroppedWhenItHasSeveral() {
            ObjectNode twoSlots = CoreDriver.registration("W", "work").put("slots", 2);
            CoreDriver router = fifo().register("W-1", twoSlots).call("c1", "r1", "W.work", -1).call("c1", "r2", "W.work", -1);
            assertThat(router.dispatched("W-1")).containsExactly("r1", "r2");
            ObjectNode idLess = CoreDriver.CODEC.object().put("type", "error").put("error", "boom");
            router.replyFrame("W-1", "c1", idLess);
            assertThat(router.answers("c1")).isEmpty();
            router.reply("W-1", "c1", "r1", "one");
            assertThat(router.answer("c1").json().path("request_id").asString()).isEqualTo("r1");
            router.replyFrame("W-1", "c1", idLess);
            CoreDriver.Sent error = router.answer("c1");
            assertThat(error.json().path("request_id").asString()).isEqualTo("r2");
            assertThat(error.error()).isEqualTo("boom");
        }

        @Test
        void aPythonDealersErrorGetsTheCodeItsTextMeansAndAJavaDealersIsForwardedAsItIs() {
            CoreDriver router = fifo().register("P-1", CoreDriver.registration("P", "work"))
                    .javaDealer("J-1", "J", "work").call("c1", "r1", "P.work", -1).call("c1", "r2", "J.work", -1);
            router.replyFrame("P-1", "c1", CoreDriver.CODEC.object().put("type", "error")
                    .put("error", "Method execution error: boom"));
            CoreDriver.Sent python = router.answer("c1");
            assertThat(python.json().path("request_id").asString()).isEqualTo("r1");
            assertThat(python.json().path("code").asString()).isEqualTo("EXECUTION_ERROR");
            // a Java dealer names its code itself: a code-less error from it is not given one from its text
            router.replyFrame("J-1", "c1", CoreDriver.CODEC.object().put("type", "error").put("request_id", "r2")
                    .put("error", "Method execution error: boom"));
            assertThat(router.answer("c1").json().has("code")).isFalse();
        }

        /** Python dealers leave the id out of errors only: an id-less result for a call with an id is forged. */
        @Test
        void anIdLessResultOrStreamItemAnswersNoCallThatHasAnId() {
            CoreDriver router = fifo().register("W-1", CoreDriver.registration("W", "work")).call("c1", "r1", "W.work", -1);
            router.replyFrame("W-1", "c1", CoreDriver.CODEC.object().put("type", "reply").put("result", "forged"));
            router.replyFrame("W-1", "c1", CoreDriver.CODEC.object().put("type", "streaming").put("data", "forged"));
            assertThat(router.answers("c1")).isEmpty();
            router.reply("W-1", "c1", "r1", "genuine");
            assertThat(router.answer("c1").json().path("result").asString()).isEqualTo("genuine");
        }

        @Test
        void aCallWithoutAnIdIsAnsweredByAnIdLessResultAndANonTextIdIsABadRequest() {
            CoreDriver router = fifo().register("W-1", CoreDriver.registration("W", "work"));
            router.call("c1", "W.work", CoreDriver.CODEC.object().put("type", "request").put("func_name", "W.work"));
            assertThat(router.dispatched("W-1")).hasSize(1);
            router.replyFrame("W-1", "c1", CoreDriver.CODEC.object().put("type", "reply").put("result", "done"));
            assertThat(router.answer("c1").json().path("result").asString()).isEqualTo("done");
            router.call("c2", "W.work", CoreDriver.CODEC.object().put("type", "request").put("request_id", 7)
                    .put("func_name", "W.work"));
            CoreDriver.Sent refused = router.answer("c2");
            assertThat(refused.code()).isEqualTo("BAD_REQUEST");
            assertThat(refused.error()).isEqualTo("Invalid call format: request_id must be a string");
            assertThat(router.dispatched("W-1")).isEmpty();
        }
    }

    /** What a registration may announce, and what it costs. */
    @Nested
    class MethodTable {

        private ObjectNode announcing(String group, int count) {
            String[] methods = new String[count];
            for (int i = 0; i < count; i++) {
                methods[i] = "m" + i;
            }
            return CoreDriver.registration(group, methods);
        }

        @Test
        void aRegistrationWithTooManyMethodsIsABadRequestAndLeavesNoTrace() {
            CoreDriver router = fifo().register("Big-1", announcing("Big", RouterCore.MAX_METHODS_PER_REGISTRATION + 1));
            CoreDriver.Sent error = router.take("Big-1", MessageType.ERROR).get(0);
            assertThat(error.code()).isEqualTo("BAD_REQUEST");
            assertThat(error.error()).contains("methods holds 1001 entries").contains("limit of 1000");
            assertThat(router.core.dealers).isEmpty();
            assertThat(router.core.isKnown("Big.m0")).isFalse();
        }

        @Test
        void distinctMethodsAreCappedAcrossRegistrationsButKnownNamesStillRegister() {
            CoreDriver router = fifo();
            int groups = RouterCore.MAX_METHODS / RouterCore.MAX_METHODS_PER_REGISTRATION;
            for (int g = 0; g < groups; g++) {
                router.register("G" + g + "-1", announcing("G" + g, RouterCore.MAX_METHODS_PER_REGISTRATION));
            }
            assertThat(router.take()).extracting(CoreDriver.Sent::token).containsOnly("register_ack");
            router.register("X-1", announcing("X", 1));
            CoreDriver.Sent error = router.take("X-1", MessageType.ERROR).get(0);
            assertThat(error.code()).isEqualTo("BAD_REQUEST");
            assertThat(error.error()).contains("limit of 10000 distinct methods");
            router.register("G0-2", announcing("G0", 3)); // names already known: no growth
            assertThat(router.take("G0-2", MessageType.REGISTER_ACK)).hasSize(1);
        }

        @Test
        void aDealerThatRegistersAgainKeepsItsPlaceAndOnlyItsNewMethods() {
            CoreDriver router = fifo().javaDealer("W-1", "W", "work", "old").javaDealer("W-2", "W", "work");
            router.javaDealer("W-1", "W", "work").take();
            assertThat(router.core.offering("W.work")).extracting(d -> d.id).containsExactly("W-1", "W-2");
            assertThat(router.core.isKnown("W.old")).isFalse();
            router.call("c1", "r1", "W.work", -1);
            assertThat(router.dispatched("W-1")).containsExactly("r1");
        }

        @Test
        void anIdentityThatRegisteredAndNeverSpokeAgainIsForgottenWhenItStopsServingWithAuthOff() {
            CoreDriver router = fifo().pythonDealer("Real-1", "W", "work").register("Fake-1", announcing("Fake", 3));
            assertThat(router.core.status(router.now).dealers()).hasSize(2);
            // both connections close: the real dealer is kept listed as inactive, the one-message identity forgotten
            router.connectionClosed(CoreDriver.addressOf("Real-1")).connectionClosed(CoreDriver.addressOf("Fake-1"))
                    .advance(Duration.ofSeconds(3));
            assertThat(router.core.status(router.now).dealers()).singleElement().satisfies(dealer -> {
                assertThat(dealer.id()).isEqualTo("Real-1");
                assertThat(dealer.state()).isEqualTo(DealerState.INACTIVE);
            });
            assertThat(router.core.isKnown("Fake.m0")).isFalse();
            // silent without a closed connection: forgotten at the heartbeat timeout
            router.register("Fake-2", announcing("Fake", 3)).advance(Duration.ofSeconds(11));
            assertThat(router.core.status(router.now).dealers()).extracting(RouterStatus.Dealer::id).containsExactly("Real-1");
        }

        @Test
        void messagesFromUnregisteredIdentitiesListNothing() {
            CoreDriver router = fifo();
            router.heartbeat("Ghost-1").signal("Ghost-2", MessageType.OVERLOAD).signal("Ghost-3", MessageType.RESUME)
                    .signal("Ghost-4", MessageType.SHUTDOWN).reply("Ghost-5", "c1", "r1", "forged");
            assertThat(router.take("Ghost-1", MessageType.REREGISTER_REQUIRED)).hasSize(1);
            assertThat(router.core.status(router.now).dealers()).isEmpty();
            router.query("c1", MessageType.CLUSTERS).query("c1", MessageType.ROUTER_INFO);
            assertThat(router.take("c1", MessageType.CLUSTERS_ACK).get(0).json().path("result").size()).isZero();
            JsonNode info = router.take("c1", MessageType.ROUTER_INFO_ACK).get(0).json().path("result");
            assertThat(info.path("total_services").asInt()).isZero();
            assertThat(info.path("inactive_services_count").asInt()).isZero();
        }

        @Test
        void theDealerTableIsCappedAndAListedDealerStillRegistersAgain() {
            CoreDriver router = fifo();
            for (int i = 0; i < RouterCore.MAX_DEALERS; i++) {
                router.register("D-" + i, announcing("D", 1));
            }
            router.take();
            router.register("D-extra", announcing("D", 1));
            CoreDriver.Sent error = router.take("D-extra", MessageType.ERROR).get(0);
            assertThat(error.code()).isEqualTo("OVERLOADED");
            assertThat(error.error()).contains("limit of 10000 dealers");
            router.register("D-7", announcing("D", 1));
            assertThat(router.take("D-7", MessageType.REGISTER_ACK)).hasSize(1);
            assertThat(router.core.dealers).hasSize(RouterCore.MAX_DEALERS);
        }
    }
}
