package io.voidrail.boot.outside;

import io.voidrail.annotation.VoidRailService;

/** A typed client outside every scanned package: only {@code @ImportVoidRailClients} brings it in. */
@VoidRailService("EchoService")
public interface OutsideClient {

    String echo(String message);

}
