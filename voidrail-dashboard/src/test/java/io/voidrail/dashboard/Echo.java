package io.voidrail.dashboard;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.voidrail.annotation.ServiceMethod;
import io.voidrail.annotation.VoidRailService;

@VoidRailService("Echo")
public class Echo {

    @ServiceMethod
    public String echo(String message) {
        return message;
    }

    @ServiceMethod
    public String fail(String message) {
        throw new IllegalStateException(message);
    }

    /** Released by the test (at most 20 s), so that a call waits behind it for as long as the test needs. */
    static volatile CountDownLatch gate = new CountDownLatch(0);

    @ServiceMethod
    public String held() throws InterruptedException {
        gate.await(20, TimeUnit.SECONDS);
        return "released";
    }
}
