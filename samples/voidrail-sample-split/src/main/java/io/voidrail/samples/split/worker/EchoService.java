package io.voidrail.samples.split.worker;

import java.lang.management.ManagementFactory;

import io.voidrail.annotation.ServiceMethod;
import io.voidrail.annotation.VoidRailService;

@VoidRailService("EchoService")
public class EchoService {

    @ServiceMethod
    public String echo(String message) {
        return message;
    }

    @ServiceMethod
    public int add(int a, int b) {
        return a + b;
    }

    /** Which worker process answered. */
    @ServiceMethod
    public String whoami() {
        return ManagementFactory.getRuntimeMXBean().getName();
    }

}
