package io.voidrail.python;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.voidrail.client.ClientDealer;
import io.voidrail.it.Bus;

/**
 * The README's Java snippet of "Mixed Java and Python fleets", against the sample Python worker. The snippet's lines
 * stand here in order (README checks find them); the assertions between them are this test's own.
 */
class PythonReadmeSnippetTests {

    @RegisterExtension
    final PythonPeers python = new PythonPeers();

    @Test
    void theReadmeSnippetCallsThePythonWorker() {
        try (Bus bus = Bus.start(PythonWorkerTests.ROUTER)) {
            python.worker(bus.address());
            String routerAddress = bus.address();
            List<Object> printed = new ArrayList<>();

            record Embeddings(String model, int dim, String backend, List<double[]> vectors) { }
            record Progress(int step, int total) { }

            try (ClientDealer client = ClientDealer.builder().routerAddress(routerAddress).build()) {   // tcp://host:5555
                int[][] c = client.invoke("TensorService.matmul", int[][].class,
                        new int[][] { { 1, 2 }, { 3, 4 } }, new int[][] { { 5, 6 }, { 7, 8 } });
                assertThat(c).isEqualTo(new int[][] { { 19, 22 }, { 43, 50 } });
                Embeddings e = client.invoke("TensorService.embed", Embeddings.class, List.of("GPU workers in Python"), 4);
                assertThat(e.dim()).isEqualTo(4);
                assertThat(e.vectors()).hasSize(1).allSatisfy(vector -> assertThat(vector).hasSize(4));
                try (Stream<Progress> steps = client.stream("TensorService.progress", Progress.class, 3)) {
                    steps.forEach(System.out::println);
                }
                try (Stream<Progress> steps = client.stream("TensorService.progress", Progress.class, 3)) {
                    steps.forEach(printed::add);
                }
            }
            assertThat(printed).hasSize(3).last().isEqualTo(new Progress(3, 3));
        }
    }
}
