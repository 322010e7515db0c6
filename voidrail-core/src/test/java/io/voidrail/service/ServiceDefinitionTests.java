package io.voidrail.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.voidrail.annotation.ServiceMethod;
import io.voidrail.annotation.VoidRailService;
import io.voidrail.codec.JsonCodec;
import tools.jackson.databind.JsonNode;

class ServiceDefinitionTests {

    private final JsonCodec codec = JsonCodec.defaults();

    public record Point(int x, int y) {
    }

    @VoidRailService("Calculator")
    static class NamedGroupService {

        @ServiceMethod(name = "sum", description = "Add two numbers", params = { "a: first number", "b : second number " })
        public int add(int a, int b) {
            return a + b;
        }

        @ServiceMethod
        public String echo(String text) {
            return text;
        }

        @ServiceMethod(metadata = { "gpu=true", "owner = ml-team", "tags=a=b" }, idempotent = true)
        public double mean(List<Point> points, Map<String, Integer> weights, Optional<Point> origin, byte[] blob,
                int[] counts, List<? extends Number> numbers) {
            return 0;
        }

        @ServiceMethod
        public void ping() {
        }

        public String notExposed() {
            return "no";
        }
    }

    static class EchoService {

        @ServiceMethod
        public String echo(String text) {
            return text;
        }
    }

    @VoidRailService
    static class DefaultNamedService {

        @ServiceMethod
        public String hello() {
            return "hi";
        }
    }

    @VoidRailService("EchoApi")
    interface EchoApi {

        @ServiceMethod(description = "Echo it back")
        String echo(String text);

        @ServiceMethod
        default String shout(String text) {
            return echo(text).toUpperCase();
        }
    }

    /** Implements an annotated client interface without annotations of its own. */
    static class EchoApiImpl implements EchoApi {

        @Override
        public String echo(String text) {
            return "impl:" + text;
        }
    }

    static class BaseService {

        @ServiceMethod(description = "from base")
        public String greet(String name) {
            return "base " + name;
        }

        @ServiceMethod
        public String inherited() {
            return "inherited";
        }

        @ServiceMethod(name = "renamedInBase")
        public String rename() {
            return "base rename";
        }
    }

    static class DerivedService extends BaseService {

        @Override
        public String greet(String name) {
            return "derived " + name;
        }

        @Override
        @ServiceMethod(name = "renamedInDerived")
        public String rename() {
            return "derived rename";
        }

        @ServiceMethod
        public String own() {
            return "own";
        }
    }

    abstract static class Repository<T> {

        @ServiceMethod(params = "item: the item to store")
        public abstract T save(T item);

        @ServiceMethod
        public T identity(T value) {
            return value;
        }

        @ServiceMethod
        public List<T> twice(T value) {
            return List.of(value, value);
        }
    }

    static class PointRepository extends Repository<Point> {

        @Override
        public Point save(Point stored) {
            return new Point(stored.x() + 1, stored.y() + 1);
        }
    }

    static class StreamShapes {

        @ServiceMethod
        public Stream<String> stream() {
            return Stream.of("a");
        }

        @ServiceMethod
        public IntStream ints() {
            return IntStream.range(0, 2);
        }

        @ServiceMethod
        public Flow.Publisher<String> publisher() {
            return new SubmissionPublisher<>();
        }

        @ServiceMethod
        public Iterator<String> plainIterator() {
            return List.of("a").iterator();
        }

        @ServiceMethod(stream = true)
        public Iterator<String> streamedIterator() {
            return List.of("a").iterator();
        }

        @ServiceMethod(stream = true)
        public List<String> streamedList() {
            return List.of("a");
        }

        @ServiceMethod
        public List<String> plainList() {
            return List.of("a");
        }

        @ServiceMethod
        public CompletableFuture<String> future() {
            return CompletableFuture.completedFuture("a");
        }
    }

    static class Duplicates {

        @ServiceMethod
        public int add(int a, int b) {
            return a + b;
        }

        @ServiceMethod(name = "add")
        public double addDoubles(double a, double b) {
            return a + b;
        }
    }

    static class Overloads {

        @ServiceMethod
        public int add(int a, int b) {
            return a + b;
        }

        @ServiceMethod
        public long add(long a, long b, long c) {
            return a + b + c;
        }
    }

    static class MalformedParams {

        @ServiceMethod(params = "a first number")
        public int twice(int a) {
            return 2 * a;
        }
    }

    static class UnknownParam {

        @ServiceMethod(params = "z: does not exist")
        public int twice(int a) {
            return 2 * a;
        }
    }

    static class TwiceDescribedParam {

        @ServiceMethod(params = { "a: one", "a: two" })
        public int twice(int a) {
            return 2 * a;
        }
    }

    static class MalformedMetadata {

        @ServiceMethod(metadata = "gpu")
        public int twice(int a) {
            return 2 * a;
        }
    }

    static class ReservedMetadata {

        @ServiceMethod(metadata = "idempotent=true")
        public int twice(int a) {
            return 2 * a;
        }
    }

    static class NonPublicMethod {

        @ServiceMethod
        int hidden() {
            return 1;
        }
    }

    static class StaticMethod {

        @ServiceMethod
        public static int shared() {
            return 1;
        }
    }

    static class NoMethods {

        public int notAService() {
            return 1;
        }
    }

    static class StreamOnScalar {

        @ServiceMethod(stream = true)
        public String text() {
            return "a";
        }
    }

    private static JsonNode json(JsonCodec codec, String text) {
        return codec.read(text.getBytes(StandardCharsets.UTF_8));
    }

    private Object value(MethodHandler handler, String args) {
        Invocation invocation = handler.invoke(json(codec, args), null, codec);
        assertThat(invocation).isInstanceOf(Invocation.Value.class);
        return ((Invocation.Value) invocation).value();
    }

    @Test
    void groupComesFromTheAnnotationValue() {
        assertThat(ServiceDefinition.of(new NamedGroupService()).group()).isEqualTo("Calculator");
    }

    @Test
    void groupDefaultsToTheSimpleClassName() {
        assertThat(ServiceDefinition.of(new EchoService()).group()).isEqualTo("EchoService");
        assertThat(ServiceDefinition.of(new DefaultNamedService()).group()).isEqualTo("DefaultNamedService");
    }

    @Test
    void groupComesFromAnAnnotatedInterfaceWhenTheClassNamesNone() {
        assertThat(ServiceDefinition.of(new EchoApiImpl()).group()).isEqualTo("EchoApi");
    }

    @Test
    void groupComesFromTheScannedClassNotTheTarget() {
        EchoService proxyLike = new EchoService() {
            @Override
            public String echo(String text) {
                return "proxied " + text;
            }
        };
        ServiceDefinition definition = ServiceDefinition.of(proxyLike, EchoService.class);
        assertThat(definition.group()).isEqualTo("EchoService");
        assertThat(definition.userClass()).isEqualTo(EchoService.class);
        assertThat(definition.target()).isSameAs(proxyLike);
        // invoked on the target: the subclass override runs
        assertThat(value(definition.find("echo"), "[\"x\"]")).isEqualTo("proxied x");
    }

    @Test
    void methodsAreNamedAndSortedByName() {
        ServiceDefinition definition = ServiceDefinition.of(new NamedGroupService());
        assertThat(definition.methods()).extracting(MethodHandler::name).containsExactly("echo", "mean", "ping", "sum");
        assertThat(definition.methods()).extracting(MethodHandler::publicName)
                .containsExactly("Calculator.echo", "Calculator.mean", "Calculator.ping", "Calculator.sum");
        assertThat(definition.find("sum").method().getName()).isEqualTo("add");
        assertThat(definition.find("add")).isNull();
        assertThat(definition.find("notExposed")).isNull();
    }

    @Test
    void descriptionIsNullUnlessDeclared() {
        ServiceDefinition definition = ServiceDefinition.of(new NamedGroupService());
        assertThat(definition.find("sum").description()).isEqualTo("Add two numbers");
        assertThat(definition.find("echo").description()).isNull();
    }

    @Test
    void paramsUseDeclaredDescriptionsElseTypes() {
        ServiceDefinition definition = ServiceDefinition.of(new NamedGroupService());
        assertThat(definition.find("sum").params()).containsExactly(Map.entry("a", "first number"),
                Map.entry("b", "second number"));
        assertThat(definition.find("echo").params()).containsExactly(Map.entry("text", "String"));
        assertThat(definition.find("mean").params()).containsExactly(
                Map.entry("points", "List<Point>"),
                Map.entry("weights", "Map<String, Integer>"),
                Map.entry("origin", "Optional<Point>"),
                Map.entry("blob", "byte[]"),
                Map.entry("counts", "int[]"),
                Map.entry("numbers", "List<? extends Number>"));
        assertThat(definition.find("ping").params()).isEmpty();
    }

    @Test
    void metadataAndIdempotence() {
        ServiceDefinition definition = ServiceDefinition.of(new NamedGroupService());
        MethodHandler mean = definition.find("mean");
        assertThat(mean.metadata()).containsExactly(Map.entry("gpu", "true"), Map.entry("owner", "ml-team"),
                Map.entry("tags", "a=b"));
        assertThat(mean.idempotent()).isTrue();
        assertThat(definition.find("sum").metadata()).isEmpty();
        assertThat(definition.find("sum").idempotent()).isFalse();
    }

    @Test
    void describeWritesTheRegisterEntry() {
        ServiceDefinition definition = ServiceDefinition.of(new NamedGroupService());
        assertThat(codec.writeString(definition.find("sum").describe(codec))).isEqualTo(
                "{\"description\":\"Add two numbers\",\"params\":{\"a\":\"first number\",\"b\":\"second number\"},"
                        + "\"stream\":false,\"metadata\":{}}");
        assertThat(codec.writeString(definition.find("ping").describe(codec)))
                .isEqualTo("{\"description\":null,\"params\":null,\"stream\":false,\"metadata\":{}}");
        JsonNode mean = definition.find("mean").describe(codec);
        assertThat(mean.get("metadata").get("idempotent").isBoolean()).isTrue();
        assertThat(codec.writeString(mean.get("metadata")))
                .isEqualTo("{\"gpu\":\"true\",\"owner\":\"ml-team\",\"tags\":\"a=b\",\"idempotent\":true}");
        assertThat(ServiceDefinition.of(new StreamShapes()).find("stream").describe(codec).get("stream").asBoolean())
                .isTrue();
    }

    @Test
    void streamFlagsFollowTheReturnType() {
        ServiceDefinition definition = ServiceDefinition.of(new StreamShapes());
        assertThat(definition.methods()).filteredOn(MethodHandler::streaming).extracting(MethodHandler::name)
                .containsExactlyInAnyOrder("stream", "ints", "publisher", "streamedIterator", "streamedList");
        assertThat(definition.find("plainIterator").streaming()).isFalse();
        assertThat(definition.find("plainList").streaming()).isFalse();
        assertThat(definition.find("future").streaming()).isFalse();
    }

    @Test
    void streamOnAReturnTypeThatCannotStreamIsRejected() {
        assertThatExceptionOfType(ServiceDefinitionException.class)
                .isThrownBy(() -> ServiceDefinition.of(new StreamOnScalar()))
                .withMessageContaining("StreamOnScalar.text()")
                .withMessageContaining("String");
    }

    @Test
    void inheritedMethodsOfSuperclassesCount() {
        ServiceDefinition definition = ServiceDefinition.of(new DerivedService());
        assertThat(definition.methods()).extracting(MethodHandler::name)
                .containsExactly("greet", "inherited", "own", "renamedInDerived");
        assertThat(value(definition.find("inherited"), "[]")).isEqualTo("inherited");
        assertThat(definition.group()).isEqualTo("DerivedService");
    }

    @Test
    void anOverrideWithoutTheAnnotationKeepsTheInheritedOneAndRunsTheOverride() {
        MethodHandler greet = ServiceDefinition.of(new DerivedService()).find("greet");
        assertThat(greet.description()).isEqualTo("from base");
        assertThat(greet.method().getDeclaringClass()).isEqualTo(DerivedService.class);
        assertThat(value(greet, "[\"bob\"]")).isEqualTo("derived bob");
    }

    @Test
    void anAnnotatedOverrideReplacesTheInheritedAnnotation() {
        ServiceDefinition definition = ServiceDefinition.of(new DerivedService());
        assertThat(definition.find("renamedInBase")).isNull();
        assertThat(value(definition.find("renamedInDerived"), "[]")).isEqualTo("derived rename");
    }

    @Test
    void interfaceMethodsCountIncludingDefaultMethods() {
        ServiceDefinition definition = ServiceDefinition.of(new EchoApiImpl());
        assertThat(definition.methods()).extracting(MethodHandler::name).containsExactly("echo", "shout");
        assertThat(definition.find("echo").description()).isEqualTo("Echo it back");
        assertThat(value(definition.find("echo"), "[\"a\"]")).isEqualTo("impl:a");
        assertThat(value(definition.find("shout"), "[\"a\"]")).isEqualTo("IMPL:A");
    }

    @Test
    void aJdkProxyTargetIsInvokedThroughItsInterface() {
        EchoApiImpl real = new EchoApiImpl();
        List<String> calls = new ArrayList<>();
        EchoApi proxy = (EchoApi) Proxy.newProxyInstance(EchoApi.class.getClassLoader(), new Class<?>[] { EchoApi.class },
                (self, method, args) -> {
                    calls.add(method.getName());
                    return method.invoke(real, args);
                });
        ServiceDefinition definition = ServiceDefinition.of(proxy, EchoApiImpl.class);
        assertThat(value(definition.find("echo"), "[\"a\"]")).isEqualTo("impl:a");
        assertThat(calls).containsExactly("echo");
    }

    @Test
    void typeVariablesOfAGenericBaseAreResolved() {
        ServiceDefinition definition = ServiceDefinition.of(new PointRepository());
        assertThat(definition.methods()).extracting(MethodHandler::name).containsExactly("identity", "save", "twice");
        MethodHandler save = definition.find("save");
        assertThat(save.params()).containsExactly(Map.entry("item", "the item to store"));
        assertThat(save.method().getParameterTypes()).containsExactly(Point.class);
        assertThat(value(save, "[{\"x\":1,\"y\":2}]")).isEqualTo(new Point(2, 3));

        MethodHandler identity = definition.find("identity");
        assertThat(identity.params()).containsExactly(Map.entry("value", "Point"));
        assertThat(value(identity, "[{\"x\":4,\"y\":5}]")).isEqualTo(new Point(4, 5));
        assertThat(definition.find("twice").params()).containsExactly(Map.entry("value", "Point"));
    }

    @Test
    void duplicatePublicNamesAreRejectedNamingBothMethods() {
        assertThatExceptionOfType(ServiceDefinitionException.class)
                .isThrownBy(() -> ServiceDefinition.of(new Duplicates()))
                .withMessageContaining("'add'")
                .withMessageContaining("Duplicates.add(int, int)")
                .withMessageContaining("Duplicates.addDoubles(double, double)");
    }

    @Test
    void overloadsWithoutDistinctNamesAreDuplicates() {
        assertThatExceptionOfType(ServiceDefinitionException.class)
                .isThrownBy(() -> ServiceDefinition.of(new Overloads()))
                .withMessageContaining("Overloads.add(int, int)")
                .withMessageContaining("Overloads.add(long, long, long)");
    }

    @Test
    void malformedParamsEntriesAreRejected() {
        assertThatExceptionOfType(ServiceDefinitionException.class)
                .isThrownBy(() -> ServiceDefinition.of(new MalformedParams()))
                .withMessageContaining("'a first number'")
                .withMessageContaining("MalformedParams.twice(int)");
        assertThatExceptionOfType(ServiceDefinitionException.class)
                .isThrownBy(() -> ServiceDefinition.of(new UnknownParam()))
                .withMessageContaining("'z: does not exist'")
                .withMessageContaining("[a]");
        assertThatExceptionOfType(ServiceDefinitionException.class)
                .isThrownBy(() -> ServiceDefinition.of(new TwiceDescribedParam()))
                .withMessageContaining("'a' is described twice");
    }

    @Test
    void malformedMetadataEntriesAreRejected() {
        assertThatExceptionOfType(ServiceDefinitionException.class)
                .isThrownBy(() -> ServiceDefinition.of(new MalformedMetadata()))
                .withMessageContaining("'gpu'")
                .withMessageContaining("key=value");
        assertThatExceptionOfType(ServiceDefinitionException.class)
                .isThrownBy(() -> ServiceDefinition.of(new ReservedMetadata()))
                .withMessageContaining("idempotent = true");
    }

    @Test
    void nonPublicAndStaticMethodsAreRejected() {
        assertThatExceptionOfType(ServiceDefinitionException.class)
                .isThrownBy(() -> ServiceDefinition.of(new NonPublicMethod()))
                .withMessage("@ServiceMethod NonPublicMethod.hidden() must be public");
        assertThatExceptionOfType(ServiceDefinitionException.class)
                .isThrownBy(() -> ServiceDefinition.of(new StaticMethod()))
                .withMessageContaining("StaticMethod.shared()")
                .withMessageContaining("static");
    }

    @Test
    void aClassWithoutServiceMethodsIsRejected() {
        assertThatExceptionOfType(ServiceDefinitionException.class)
                .isThrownBy(() -> ServiceDefinition.of(new NoMethods()))
                .withMessageContaining("No @ServiceMethod methods")
                .withMessageContaining(NoMethods.class.getName());
    }

    @Test
    void aTargetWithoutTheScannedMethodsIsRejected() {
        assertThatExceptionOfType(ServiceDefinitionException.class)
                .isThrownBy(() -> ServiceDefinition.of(new Object(), EchoService.class))
                .withMessageContaining("EchoService.echo(String)");
    }

    @Test
    void methodsOfPrivateClassesAreInvoked() {
        ServiceDefinition definition = ServiceDefinition.of(new Hidden());
        assertThat(value(definition.find("secret"), "[]")).isEqualTo(42);
    }

    private static final class Hidden {

        @ServiceMethod
        public int secret() {
            return 42;
        }
    }
}
