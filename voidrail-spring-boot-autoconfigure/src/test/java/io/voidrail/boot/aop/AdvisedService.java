package io.voidrail.boot.aop;

import io.voidrail.annotation.ServiceMethod;
import io.voidrail.annotation.VoidRailService;

/** Proxied by subclassing (CGLIB). */
@VoidRailService("Advised")
public class AdvisedService {

    @ServiceMethod
    @Counted
    public String hello(String name) {
        return "hello " + name;
    }

}
