package io.voidrail.samples.split.front;

import io.voidrail.annotation.VoidRailService;

/** What the front needs of the workers' {@code EchoService}: the front has only this interface, not the class. */
@VoidRailService("EchoService")
public interface EchoClient {

    String echo(String message);

    int add(int a, int b);

    String whoami();

}
