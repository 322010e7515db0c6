package io.voidrail.boot.aop;

import io.voidrail.annotation.VoidRailService;

/** Proxied through its interface (a JDK proxy) when proxyTargetClass is off. */
@VoidRailService("Greeter")
public class GreeterService implements Greeter {

    @Override
    @Counted
    public String greet(String name) {
        return "greetings " + name;
    }

}
