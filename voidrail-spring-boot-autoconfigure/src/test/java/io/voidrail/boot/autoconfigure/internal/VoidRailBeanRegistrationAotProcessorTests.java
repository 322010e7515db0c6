package io.voidrail.boot.autoconfigure.internal;

import org.junit.jupiter.api.Test;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.javapoet.ClassName;

import io.voidrail.boot.testapp.EchoClient;
import io.voidrail.boot.testapp.EchoService;

import static org.assertj.core.api.Assertions.assertThat;

/** The hints AOT records for a typed client and a served bean, as the processor contributes them. */
class VoidRailBeanRegistrationAotProcessorTests {

    private final DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();

    private final DefaultGenerationContext generation = new DefaultGenerationContext(
            new ClassNameGenerator(ClassName.get("io.voidrail.test", "Aot")), new InMemoryGeneratedFiles());

    @Test
    void typedClientsGetTheirJdkProxyAndBindingHints() {
        new VoidRailBeanRegistrations(this.beanFactory, new StandardEnvironment(), new DefaultResourceLoader())
            .registerClient(EchoClient.class);
        contribute(this.beanFactory.getBeanNamesForType(EchoClient.class)[0]);

        RuntimeHints hints = this.generation.getRuntimeHints();
        assertThat(RuntimeHintsPredicates.proxies().forInterfaces(EchoClient.class)).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onType(EchoClient.class)).accepts(hints);
    }

    @Test
    void servedMethodsMayBeInvokedReflectively() {
        this.beanFactory.registerBeanDefinition("echoService", new RootBeanDefinition(EchoService.class));
        contribute("echoService");

        RuntimeHints hints = this.generation.getRuntimeHints();
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(EchoService.class, "echo")).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(EchoService.class, "numbers")).accepts(hints);
    }

    @Test
    void theBuildVersionIsAResource() {
        RuntimeHints hints = new RuntimeHints();
        new VoidRailRuntimeHints().registerHints(hints, null);
        assertThat(RuntimeHintsPredicates.resource().forResource("io/voidrail/version.properties")).accepts(hints);
    }

    @Test
    void otherBeansGetNothing() {
        this.beanFactory.registerBeanDefinition("other", new RootBeanDefinition(StringBuilder.class));
        assertThat(new VoidRailBeanRegistrationAotProcessor()
            .processAheadOfTime(RegisteredBean.of(this.beanFactory, "other"))).isNull();
    }

    private void contribute(String beanName) {
        BeanRegistrationAotContribution contribution = new VoidRailBeanRegistrationAotProcessor()
            .processAheadOfTime(RegisteredBean.of(this.beanFactory, beanName));
        assertThat(contribution).isNotNull();
        contribution.applyTo(this.generation, null);
    }

}
