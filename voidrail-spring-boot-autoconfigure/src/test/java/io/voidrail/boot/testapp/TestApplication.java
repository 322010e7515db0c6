package io.voidrail.boot.testapp;

import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Configuration;

/** An application whose package holds a {@code @VoidRailService} class and a typed-client interface. */
@Configuration(proxyBeanMethods = false)
@AutoConfigurationPackage
public class TestApplication {

}
