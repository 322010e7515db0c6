package io.voidrail.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import io.voidrail.annotation.ServiceMethod;
import io.voidrail.codec.JsonCodec;

class InvocationTests {

    private final JsonCodec codec = JsonCodec.defaults();

    /** A return type core does not know, streamed through an adapter. */
    public static final class Lazy {

        final List<String> items;

        Lazy(List<String> items) {
            this.items = items;
        }
    }

    /** A non-streaming type known to an adapter only. */
    public static final class Later {

        final String value;

        Later(String value) {
            this.value = value;
        }
    }

    static final class LazyAdapter implements ReturnValueAdapter {

        final List<@Nullable Object> adapted = new ArrayList<>();

        @Override
        public boolean supports(Class<?> returnType) {
            return Lazy.class.isAssignableFrom(returnType) || Later.class.isAssignableFrom(returnType);
        }

        @Override
        public boolean isStreaming(Class<?> returnType) {
            return Lazy.class.isAssignableFrom(returnType);
        }

        @Override
        public Invocation adapt(@Nullable Object returned) {
            adapted.add(returned);
            if (returned instanceof Lazy lazy) {
                return new Invocation.Items(lazy.items.iterator(), () -> {
                });
            }
            return new Invocation.Value(returned == null ? "adapted null" : ((Later) returned).value);
        }
    }

    /** An iterator over a resource: closing the invocation must close it. */
    static final class ClosingIterator implements Iterator<Integer>, Closeable {

        final AtomicInteger closed = new AtomicInteger();

        int next = 0;

        @Override
        public boolean hasNext() {
            return next < 2;
        }

        @Override
        public Integer next() {
            return next++;
        }

        @Override
        public void close() {
            closed.incrementAndGet();
        }
    }

    static final class Shapes {

        final AtomicInteger closedStreams = new AtomicInteger();

        final AtomicInteger voidCalls = new AtomicInteger();

        final CompletableFuture<String> future = new CompletableFuture<>();

        final SubmissionPublisher<String> publisher = new SubmissionPublisher<>();

        final ClosingIterator closingIterator = new ClosingIterator();

        @ServiceMethod
        public String plain() {
            return "value";
        }

        @ServiceMethod
        public void nothing() {
            voidCalls.incrementAndGet();
        }

        @ServiceMethod
        public @Nullable String nothingReturned() {
            return null;
        }

        @ServiceMethod
        public CompletionStage<String> async() {
            return future;
        }

        @ServiceMethod
        public Stream<String> stream() {
            return Stream.of("a", "b", "c").onClose(closedStreams::incrementAndGet);
        }

        @ServiceMethod
        public IntStream ints() {
            return IntStream.range(3, 6);
        }

        @ServiceMethod
        public Flow.Publisher<String> publish() {
            return publisher;
        }

        @ServiceMethod(stream = true)
        public Iterator<Integer> streamedIterator() {
            return closingIterator;
        }

        @ServiceMethod
        public Iterator<String> plainIterator() {
            return List.of("x").iterator();
        }

        @ServiceMethod(stream = true)
        public Iterable<String> streamedIterable() {
            return List.of("p", "q");
        }

        @ServiceMethod
        public List<String> plainList() {
            return List.of("p", "q");
        }

        @ServiceMethod
        public Object streamAsObject() {
            return Stream.of(1, 2);
        }

        @ServiceMethod
        public Lazy lazy() {
            return new Lazy(List.of("l1", "l2"));
        }

        @ServiceMethod
        public @Nullable Lazy lazyNull() {
            return null;
        }

        @ServiceMethod
        public Object laterAsObject() {
            return new Later("later");
        }
    }

    static final class Failures {

        @ServiceMethod
        public String fails() {
            throw new IllegalStateException("boom");
        }

        @ServiceMethod
        public String failsWithoutMessage() {
            throw new UnsupportedOperationException();
        }

        @ServiceMethod
        public String failsChecked() throws IOException {
            throw new IOException("disk gone");
        }

        @ServiceMethod
        public String failsWithError() {
            throw new AssertionError("broken invariant");
        }

        @ServiceMethod
        public Stream<Integer> failsMidStream() {
            return Stream.of(1, 0).map(i -> 10 / i);
        }

        @ServiceMethod
        public Stream<Integer> failsOnClose() {
            return Stream.of(1).onClose(() -> {
                throw new IllegalStateException("close failed");
            });
        }

        @ServiceMethod(stream = true)
        public Iterable<Integer> failsToIterate() {
            return () -> {
                throw new IllegalStateException("no iterator");
            };
        }
    }

    private static List<Object> drain(Invocation invocation) {
        assertThat(invocation).isInstanceOf(Invocation.Items.class);
        List<Object> items = new ArrayList<>();
        try (Invocation.Items stream = (Invocation.Items) invocation) {
            stream.iterator().forEachRemaining(items::add);
        }
        return items;
    }

    private Invocation invoke(ServiceDefinition definition, String method) {
        return definition.find(method).invoke(null, null, codec);
    }

    @Test
    void aPlainResultIsAValue() {
        assertThat(invoke(ServiceDefinition.of(new Shapes()), "plain")).isEqualTo(new Invocation.Value("value"));
    }

    @Test
    void voidAndNullAreNullValues() {
        Shapes shapes = new Shapes();
        ServiceDefinition definition = ServiceDefinition.of(shapes);
        assertThat(invoke(definition, "nothing")).isEqualTo(new Invocation.Value(null));
        assertThat(shapes.voidCalls).hasValue(1);
        assertThat(invoke(definition, "nothingReturned")).isEqualTo(new Invocation.Value(null));
    }

    @Test
    void aCompletionStageIsAsync() {
        Shapes shapes = new Shapes();
        Invocation invocation = invoke(ServiceDefinition.of(shapes), "async");
        assertThat(invocation).isInstanceOf(Invocation.Async.class);
        assertThat(((Invocation.Async) invocation).stage()).isSameAs(shapes.future);
    }

    @Test
    void aStreamIsItemsAndClosingClosesIt() {
        Shapes shapes = new Shapes();
        assertThat(drain(invoke(ServiceDefinition.of(shapes), "stream"))).containsExactly("a", "b", "c");
        assertThat(shapes.closedStreams).hasValue(1);
    }

    @Test
    void anAbandonedStreamIsClosedToo() {
        Shapes shapes = new Shapes();
        Invocation.Items items = (Invocation.Items) invoke(ServiceDefinition.of(shapes), "stream");
        assertThat(items.iterator().next()).isEqualTo("a");
        items.close();
        assertThat(shapes.closedStreams).hasValue(1);
    }

    @Test
    void primitiveStreamsAreItems() {
        assertThat(drain(invoke(ServiceDefinition.of(new Shapes()), "ints"))).containsExactly(3, 4, 5);
    }

    @Test
    void aFlowPublisherIsPublished() {
        Shapes shapes = new Shapes();
        Invocation invocation = invoke(ServiceDefinition.of(shapes), "publish");
        assertThat(invocation).isInstanceOf(Invocation.Published.class);
        assertThat(((Invocation.Published) invocation).publisher()).isSameAs(shapes.publisher);
    }

    @Test
    void iteratorsAndIterablesStreamOnlyWhenAskedTo() {
        Shapes shapes = new Shapes();
        ServiceDefinition definition = ServiceDefinition.of(shapes);
        assertThat(drain(invoke(definition, "streamedIterator"))).containsExactly(0, 1);
        assertThat(shapes.closingIterator.closed).as("a closeable iterator is closed").hasValue(1);
        assertThat(drain(invoke(definition, "streamedIterable"))).containsExactly("p", "q");

        assertThat(invoke(definition, "plainList")).isEqualTo(new Invocation.Value(List.of("p", "q")));
        Invocation plainIterator = invoke(definition, "plainIterator");
        assertThat(plainIterator).isInstanceOf(Invocation.Value.class);
        assertThat(((Invocation.Value) plainIterator).value()).isInstanceOf(Iterator.class);
    }

    @Test
    void theRuntimeValueDecidesWhenTheDeclaredTypeDoesNot() {
        assertThat(drain(invoke(ServiceDefinition.of(new Shapes()), "streamAsObject"))).containsExactly(1, 2);
    }

    @Test
    void adaptersHandleTheTypesTheySupport() {
        LazyAdapter adapter = new LazyAdapter();
        ServiceDefinition definition = ServiceDefinition.of(new Shapes(), Shapes.class, List.of(adapter));
        assertThat(definition.find("lazy").streaming()).isTrue();
        assertThat(definition.find("lazyNull").streaming()).isTrue();
        assertThat(definition.find("laterAsObject").streaming()).isFalse();
        assertThat(definition.find("plain").streaming()).isFalse();

        assertThat(drain(invoke(definition, "lazy"))).containsExactly("l1", "l2");
        assertThat(invoke(definition, "lazyNull")).isEqualTo(new Invocation.Value("adapted null"));
        assertThat(invoke(definition, "laterAsObject")).isEqualTo(new Invocation.Value("later"));
        assertThat(invoke(definition, "plain")).isEqualTo(new Invocation.Value("value"));
        assertThat(adapter.adapted).hasSize(3);
    }

    @Test
    void withoutAnAdapterUnknownTypesArePlainValues() {
        ServiceDefinition definition = ServiceDefinition.of(new Shapes());
        assertThat(definition.find("lazy").streaming()).isFalse();
        assertThat(invoke(definition, "lazy")).isInstanceOf(Invocation.Value.class);
    }

    @Test
    void whatTheMethodThrowsIsWrappedUnchanged() {
        ServiceDefinition definition = ServiceDefinition.of(new Failures());
        assertThatExceptionOfType(ServiceMethodException.class)
                .isThrownBy(() -> invoke(definition, "fails"))
                .withMessage("boom")
                .havingCause()
                .isExactlyInstanceOf(IllegalStateException.class)
                .withMessage("boom");
        assertThatExceptionOfType(ServiceMethodException.class)
                .isThrownBy(() -> invoke(definition, "failsChecked"))
                .withMessage("disk gone")
                .withCauseExactlyInstanceOf(IOException.class);
        assertThatExceptionOfType(ServiceMethodException.class)
                .isThrownBy(() -> invoke(definition, "failsWithError"))
                .withMessage("broken invariant")
                .withCauseExactlyInstanceOf(AssertionError.class);
    }

    @Test
    void aFailureWithoutMessageIsNamedByItsClass() {
        assertThatExceptionOfType(ServiceMethodException.class)
                .isThrownBy(() -> invoke(ServiceDefinition.of(new Failures()), "failsWithoutMessage"))
                .withMessage("UnsupportedOperationException")
                .withCauseExactlyInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void failuresWhileIteratingOrClosingAreServiceMethodExceptions() {
        ServiceDefinition definition = ServiceDefinition.of(new Failures());
        Invocation.Items midStream = (Invocation.Items) invoke(definition, "failsMidStream");
        assertThat(midStream.iterator().next()).isEqualTo(10);
        assertThatExceptionOfType(ServiceMethodException.class)
                .isThrownBy(() -> midStream.iterator().next())
                .withMessage("/ by zero")
                .withCauseExactlyInstanceOf(ArithmeticException.class);
        midStream.close();

        Invocation.Items onClose = (Invocation.Items) invoke(definition, "failsOnClose");
        assertThatExceptionOfType(ServiceMethodException.class)
                .isThrownBy(onClose::close)
                .withMessage("close failed");

        assertThatExceptionOfType(ServiceMethodException.class)
                .isThrownBy(() -> invoke(definition, "failsToIterate"))
                .withMessage("no iterator");
    }
}
