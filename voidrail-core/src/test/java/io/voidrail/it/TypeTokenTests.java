package io.voidrail.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.voidrail.annotation.ServiceMethod;
import io.voidrail.annotation.VoidRailService;
import io.voidrail.client.ClientDealer;
import io.voidrail.RouterMode;
import tools.jackson.core.type.TypeReference;

/** Generic results through a type token: records come back as records, not as maps. */
class TypeTokenTests {

    public record Point(int x, int y) {
    }

    @VoidRailService("Geo")
    public static class Geo {

        @ServiceMethod
        public List<Point> diagonal(int n) {
            return IntStream.range(0, n).mapToObj(i -> new Point(i, i)).toList();
        }

        @ServiceMethod
        public Map<String, List<Point>> named(int n) {
            return Map.of("diagonal", diagonal(n));
        }

        @ServiceMethod
        public Stream<List<Point>> rows(int n) {
            return IntStream.range(0, n).mapToObj(y -> List.of(new Point(0, y), new Point(1, y)));
        }
    }

    @Test
    void aTypeReferenceTurnsTheResultIntoListsOfRecords() throws Exception {
        try (Bus bus = Bus.start(RouterMode.FIFO)) {
            bus.dealer(new Geo());
            ClientDealer client = bus.client();

            List<Point> points = client.invoke("Geo.diagonal", new TypeReference<List<Point>>() { }, 3);
            assertThat(points).containsExactly(new Point(0, 0), new Point(1, 1), new Point(2, 2));
            // without the token the same JSON comes back as maps: the token is what makes records
            assertThat(client.invoke("Geo.diagonal", List.class, 1)).singleElement().isInstanceOf(Map.class);

            Map<String, List<Point>> named = client.call("Geo.named").args(2)
                    .invokeAsync(new TypeReference<Map<String, List<Point>>>() { }).get();
            assertThat(named.get("diagonal")).containsExactly(new Point(0, 0), new Point(1, 1));

            try (Stream<List<Point>> rows = client.call("Geo.rows").args(2).timeout(Duration.ofSeconds(5))
                    .stream(new TypeReference<List<Point>>() { })) {
                assertThat(rows.toList()).containsExactly(List.of(new Point(0, 0), new Point(1, 0)),
                        List.of(new Point(0, 1), new Point(1, 1)));
            }
        }
    }
}
