package io.voidrail.boot.autoconfigure;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.aop.support.AopUtils;
import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.EnableAspectJAutoProxy;

import io.voidrail.annotation.ServiceMethod;
import io.voidrail.annotation.VoidRailService;
import io.voidrail.boot.Failures;
import io.voidrail.boot.aop.AdvisedService;
import io.voidrail.boot.aop.CountingAspect;
import io.voidrail.boot.aop.Greeter;
import io.voidrail.boot.aop.GreeterService;
import io.voidrail.boot.autoconfigure.internal.DealerLifecycle;
import io.voidrail.boot.autoconfigure.internal.VoidRailSetupException;
import io.voidrail.boot.outside.OutsideClient;
import io.voidrail.boot.testapp.EchoClient;
import io.voidrail.boot.testapp.EchoService;
import io.voidrail.boot.testapp.TestApplication;
import io.voidrail.client.VoidRailClient;
import io.voidrail.dealer.ServiceDealer;

import static org.assertj.core.api.Assertions.assertThat;

/** How {@code @VoidRailService} classes and interfaces become beans, dealers and typed clients. */
class ServiceBeanTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(VoidRailRouterAutoConfiguration.class, VoidRailClientAutoConfiguration.class,
                VoidRailDealerAutoConfiguration.class))
        .withPropertyValues("voidrail.router.enabled=true", "voidrail.router.bind-address=tcp://127.0.0.1:0");

    @Test
    void servicesAndTypedClientsInTheApplicationPackagesAreFound() {
        this.runner.withUserConfiguration(TestApplication.class).run((context) -> {
            assertThat(context).hasSingleBean(EchoService.class).hasSingleBean(EchoClient.class);
            EchoClient echo = context.getBean(EchoClient.class);
            assertThat(echo.echo("typed")).isEqualTo("typed");
            assertThat(echo.add(2, 40)).isEqualTo(42);
            try (var numbers = echo.numbers(0, 4)) {
                assertThat(numbers).containsExactly(0, 1, 2, 3);
            }
            assertThat(echo.slow(1).get()).isEqualTo("slept");
        });
    }

    @Test
    void aServiceTheApplicationDeclaresItselfIsNotRegisteredTwice() {
        this.runner.withUserConfiguration(TestApplication.class)
            .withBean("myEcho", EchoService.class)
            .run((context) -> {
                assertThat(context.getBeansOfType(EchoService.class)).containsOnlyKeys("myEcho");
                assertThat(dealers(context.getBean(DealerLifecycle.class))).containsExactly("EchoService");
                assertThat(context.getBean(EchoClient.class).echo("once")).isEqualTo("once");
            });
    }

    @Test
    void withoutDealersServiceClassesAreNotCreatedButClientsAre() {
        this.runner.withUserConfiguration(TestApplication.class)
            .withPropertyValues("voidrail.dealer.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(EchoService.class).hasSingleBean(EchoClient.class));
    }

    @Test
    void servicesProxiedBySubclassAreCalledThroughTheProxy() {
        this.runner.withUserConfiguration(Aspects.class).withBean(AdvisedService.class).run((context) -> {
            assertThat(AopUtils.isCglibProxy(context.getBean(AdvisedService.class))).isTrue();
            String result = context.getBean(VoidRailClient.class).invoke("Advised.hello", String.class, "bus");
            assertThat(result).isEqualTo("advised hello bus");
            assertThat(context.getBean(CountingAspect.class).calls).hasValue(1);
        });
    }

    @Test
    void servicesProxiedByInterfaceAreCalledThroughTheProxy() {
        this.runner.withUserConfiguration(InterfaceAspects.class).withBean(GreeterService.class).run((context) -> {
            assertThat(AopUtils.isJdkDynamicProxy(context.getBean(Greeter.class))).isTrue();
            String result = context.getBean(VoidRailClient.class).invoke("Greeter.greet", String.class, "bus");
            assertThat(result).isEqualTo("advised greetings bus");
            assertThat(context.getBean(CountingAspect.class).calls).hasValue(1);
        });
    }

    @Test
    void inheritedMethodsAreServedAndEachGroupHasItsDealer() {
        this.runner.withBean(ChildService.class).withBean(EchoService.class).run((context) -> {
            assertThat(dealers(context.getBean(DealerLifecycle.class))).containsExactlyInAnyOrder("Child",
                    "EchoService");
            VoidRailClient client = context.getBean(VoidRailClient.class);
            assertThat(client.invoke("Child.inherited", String.class)).isEqualTo("from the base class");
            assertThat(client.invoke("Child.own", String.class)).isEqualTo("from the child");
        });
    }

    @Test
    void lazyInitializationStillServesAndInjects() {
        this.runner.withUserConfiguration(TestApplication.class)
            .withInitializer((context) -> context.addBeanFactoryPostProcessor(
                    new LazyInitializationBeanFactoryPostProcessor()))
            .run((context) -> {
                assertThat(dealers(context.getBean(DealerLifecycle.class))).containsExactly("EchoService");
                assertThat(context.getBean(EchoClient.class).echo("lazy")).isEqualTo("lazy");
            });
    }

    @Test
    void duplicateMethodNamesInOneGroupFailStartup() {
        this.runner.withBean("first", FirstHello.class).withBean("second", SecondHello.class).run((context) -> {
            VoidRailSetupException failure = Failures.find(context.getStartupFailure(), VoidRailSetupException.class);
            assertThat(failure).hasMessageContaining("Duplicate VoidRail method name Hello.hello")
                .hasMessageContaining("bean 'first'")
                .hasMessageContaining("bean 'second'");
            assertThat(failure.action()).contains("@ServiceMethod(name");
        });
    }

    @Test
    void aServiceThatCannotBeServedFailsStartupNamingTheBean() {
        this.runner.withBean("broken", BrokenService.class)
            .run((context) -> assertThat(Failures.find(context.getStartupFailure(), VoidRailSetupException.class))
                .hasMessageContaining("Bean 'broken'")
                .hasMessageContaining("static"));
    }

    @Test
    void importVoidRailClientsAddsInterfacesFromElsewhere() {
        this.runner.withUserConfiguration(ImportsOutsideClient.class).withBean(EchoService.class).run((context) -> {
            assertThat(context).hasSingleBean(OutsideClient.class);
            assertThat(context.getBean(OutsideClient.class).echo("imported")).isEqualTo("imported");
        });
        this.runner.withUserConfiguration(ScansOutsidePackage.class)
            .run((context) -> assertThat(context).hasSingleBean(OutsideClient.class));
    }

    @Test
    void typedClientMethodsWithTheAsyncSuffixCallTheMethodWithoutIt() {
        this.runner.withUserConfiguration(ImportsAsyncClient.class).withBean(EchoService.class).run((context) -> {
            AsyncEcho echo = context.getBean(AsyncEcho.class);
            assertThat(echo.echoAsync("soon")).succeedsWithin(java.time.Duration.ofSeconds(5)).isEqualTo("soon");
            assertThat(echo.addAsync(2, 3)).succeedsWithin(java.time.Duration.ofSeconds(5)).isEqualTo(5);
        });
    }

    @Test
    void typedClientsCanBeInjectedBeforeTheRouterHasAPort() {
        this.runner.withUserConfiguration(TestApplication.class, UsesClientEarly.class)
            .withPropertyValues("voidrail.client.timeout=5s")
            .run((context) -> assertThat(context.getBean(UsesClientEarly.class).echo.echo("late bound"))
                .isEqualTo("late bound"));
    }

    private static List<String> dealers(DealerLifecycle lifecycle) {
        return lifecycle.dealers().stream().map(ServiceDealer::group).toList();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAspectJAutoProxy
    static class Aspects {

        @Bean
        CountingAspect countingAspect() {
            return new CountingAspect();
        }

    }

    @Configuration(proxyBeanMethods = false)
    @EnableAspectJAutoProxy(proxyTargetClass = false)
    static class InterfaceAspects extends Aspects {

    }

    @Configuration(proxyBeanMethods = false)
    @ImportVoidRailClients(OutsideClient.class)
    static class ImportsOutsideClient {

    }

    @Configuration(proxyBeanMethods = false)
    @ImportVoidRailClients(basePackageClasses = OutsideClient.class)
    static class ScansOutsidePackage {

    }

    @Configuration(proxyBeanMethods = false)
    @ImportVoidRailClients(AsyncEcho.class)
    static class ImportsAsyncClient {

    }

    @VoidRailService("EchoService")
    public interface AsyncEcho {

        java.util.concurrent.CompletableFuture<String> echoAsync(String message);

        java.util.concurrent.CompletableFuture<Integer> addAsync(int a, int b);

    }

    /** Takes a typed client in its constructor, before the context has started. */
    @Configuration(proxyBeanMethods = false)
    static class UsesClientEarly {

        final EchoClient echo;

        UsesClientEarly(EchoClient echo) {
            this.echo = echo;
            assertThat(echo.toString()).contains(EchoClient.class.getName());
        }

    }

    public abstract static class BaseService {

        @ServiceMethod
        public String inherited() {
            return "from the base class";
        }

    }

    @VoidRailService("Child")
    public static class ChildService extends BaseService {

        @ServiceMethod
        public String own() {
            return "from the child";
        }

    }

    @VoidRailService("Hello")
    public static class FirstHello {

        @ServiceMethod
        public String hello() {
            return "first";
        }

    }

    @VoidRailService("Hello")
    public static class SecondHello {

        @ServiceMethod
        public String hello() {
            return "second";
        }

    }

    @VoidRailService("Broken")
    public static class BrokenService {

        @ServiceMethod
        public static String broken() {
            return "never";
        }

    }

}
