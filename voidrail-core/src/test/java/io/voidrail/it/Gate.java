package io.voidrail.it;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.voidrail.annotation.ServiceMethod;
import io.voidrail.annotation.VoidRailService;

/** A service whose calls are held until the test opens the gate (at most 20 s), then answer their argument. */
@VoidRailService("Gate")
public final class Gate {

    final CountDownLatch open = new CountDownLatch(1);

    @ServiceMethod
    public String hold(String name) throws InterruptedException {
        open.await(20, TimeUnit.SECONDS);
        return name;
    }
}
