package io.voidrail.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.voidrail.VoidRailException;
import io.voidrail.client.ClientDealer;
import io.voidrail.it.Bus;
import io.voidrail.ErrorCode;
import io.voidrail.python.JavaTensorService.Slept;
import io.voidrail.status.DealerState;
import io.voidrail.status.RouterStatus;
import io.voidrail.router.ServiceRouter;

/** One Python and one Java worker behind the Java router: FIFO across both, a Python worker killed, router restarts. */
class MixedFleetTests {

    @RegisterExtension
    final PythonPeers python = new PythonPeers();

    @Test
    void fifoSpreadsCallsOverBothWorkersOncePerCallInOrder() {
        try (Bus bus = Bus.start(PythonWorkerTests.ROUTER)) {
            PythonPeers.Worker worker = python.worker(bus.address());
            JavaTensorService java = new JavaTensorService();
            bus.dealer(java);
            ClientDealer client = bus.client();
            List<CompletableFuture<Slept>> calls = IntStream.range(0, 8)
                    .mapToObj(tag -> client.call("TensorService.slow").args(0.3, tag).invokeAsync(Slept.class)).toList();
            List<Slept> results = calls.stream().map(CompletableFuture::join).toList();

            assertThat(results).extracting(Slept::tag).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
            Map<String, List<Slept>> byWorker = results.stream().collect(Collectors.groupingBy(Slept::worker));
            assertThat(byWorker).containsOnlyKeys(worker.identity(), JavaTensorService.WORKER);
            // one slot each: both workers are kept busy, so each takes about half
            assertThat(byWorker.values()).allSatisfy(served -> assertThat(served).hasSizeGreaterThanOrEqualTo(2));
            // FIFO: each worker got its calls in the order they were made
            byWorker.values().forEach(served -> assertThat(served.stream()
                    .sorted(Comparator.comparingDouble(Slept::started)).map(Slept::tag).toList()).isSorted());
            // none ran twice: what each worker was given is what it answered
            assertThat(java.calls()).isEqualTo(byWorker.get(JavaTensorService.WORKER).size());
            assertThat(dealer(bus, worker.identity()).requestCount()).isEqualTo(byWorker.get(worker.identity()).size());
        }
    }

    @Test
    void aPythonWorkerKilledWhileIdleGetsNoMoreCalls() {
        try (Bus bus = Bus.start(PythonWorkerTests.ROUTER)) {
            PythonPeers.Worker worker = python.worker(bus.address());
            bus.dealer(new JavaTensorService());
            ClientDealer client = bus.client();
            worker.process().kill();
            // a call sent before the router noticed either reaches the Java worker or fails explicitly
            for (int tag = 0; tag < 4; tag++) {
                assertServedByJavaOrLost(client.call("TensorService.slow").args(0.05, tag).invokeAsync(Slept.class));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> dealer(bus, worker.identity()).state() != DealerState.ACTIVE);
            for (int tag = 0; tag < 4; tag++) {
                assertThat(client.invoke("TensorService.slow", Slept.class, 0.01, tag).worker())
                        .isEqualTo(JavaTensorService.WORKER);
            }
        }
    }

    @Test
    void aPythonWorkerKilledWhileBusyFailsItsCallExplicitly() {
        try (Bus bus = Bus.start(PythonWorkerTests.ROUTER)) {
            PythonPeers.Worker worker = python.worker(bus.address()); // registered first: FIFO hands it the first call
            bus.dealer(new JavaTensorService());
            ClientDealer client = bus.client();
            CompletableFuture<Slept> running = client.call("TensorService.slow").args(30.0, 1).timeout(Duration.ofSeconds(30))
                    .invokeAsync(Slept.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> dealer(bus, worker.identity()).inFlight() == 1);
            long killed = System.nanoTime();
            worker.process().kill();
            assertThatThrownBy(() -> running.get(15, TimeUnit.SECONDS)).hasCauseInstanceOf(VoidRailException.class)
                    .cause().satisfies(ex -> assertThat(((VoidRailException) ex).code()).isEqualTo(ErrorCode.DEALER_LOST));
            // found out by silence (2 s busy heartbeat timeout), long before the 30 s call would have ended
            assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(Duration.ofSeconds(10));
            assertThat(dealer(bus, worker.identity()).state()).isNotEqualTo(DealerState.ACTIVE);
            assertThat(client.invoke("TensorService.slow", Slept.class, 0.01, 2).worker()).isEqualTo(JavaTensorService.WORKER);
        }
    }

    @Test
    void theWorkerRegistersAgainWithARestartedRouter() {
        ServiceRouter first = ServiceRouter.builder().address("tcp://127.0.0.1:0").environment(Bus.NO_ENV).build().start();
        String address = first.address();
        PythonPeers.Worker worker;
        try {
            worker = python.worker(address);
        }
        finally {
            first.close(); // tells the worker router_shutdown
        }
        try (ServiceRouter second = ServiceRouter.builder().address(address).environment(Bus.NO_ENV).build().start();
                ClientDealer client = ClientDealer.builder().routerAddress(address).environment(Bus.NO_ENV)
                        .timeout(Duration.ofSeconds(10)).build()) {
            await().atMost(Duration.ofSeconds(15)).until(() -> worker.process().stdout().size() == 2);
            assertThat(worker.process().stdout()).containsExactly("READY " + worker.identity(), "READY " + worker.identity());
            assertThat(worker.process().stderr()).contains("is shutting down: reconnecting");
            assertThat(client.invoke("TensorService.matmul", int[][].class, PythonWorkerTests.A, PythonWorkerTests.B))
                    .isEqualTo(PythonWorkerTests.PRODUCT);
            assertThat(second.status().dealers()).extracting(RouterStatus.Dealer::id).containsExactly(worker.identity());
        }
    }

    private static void assertServedByJavaOrLost(CompletableFuture<Slept> call) {
        try {
            assertThat(call.get(15, TimeUnit.SECONDS).worker()).isEqualTo(JavaTensorService.WORKER);
        }
        catch (Exception ex) {
            Throwable cause = ex.getCause() != null ? ex.getCause() : ex;
            assertThat(cause).isInstanceOfSatisfying(VoidRailException.class,
                    remote -> assertThat(remote.code()).isEqualTo(ErrorCode.DEALER_LOST));
        }
    }

    private static RouterStatus.Dealer dealer(Bus bus, String id) {
        List<RouterStatus.Dealer> all = new ArrayList<>(bus.router().status().dealers());
        return all.stream().filter(d -> d.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no dealer " + id + " in " + all));
    }
}
