package io.voidrail.benchmarks;

import io.voidrail.annotation.ServiceMethod;
import io.voidrail.annotation.VoidRailService;

/** The service the VoidRail scenarios call: {@code EchoService.echo} returns its argument, no work. */
@VoidRailService("EchoService")
public class BenchEchoService {

    public static final String ECHO = "EchoService.echo";

    @ServiceMethod(description = "Returns its argument")
    public String echo(String message) {
        return message;
    }
}
