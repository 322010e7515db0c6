package io.voidrail.reliability;

import io.voidrail.annotation.ServiceMethod;
import io.voidrail.annotation.VoidRailService;

/** What the dealers of the reliability tests serve: work that takes a while and says who did it. */
@VoidRailService("Reliability")
public class ReliabilityService {

    private final String name;

    /** In a dealer process: named after the process. */
    public ReliabilityService() {
        this("pid" + ProcessHandle.current().pid());
    }

    public ReliabilityService(String name) {
        this.name = name;
    }

    /** Not idempotent: a lost dealer's call of this ends with DEALER_LOST. */
    @ServiceMethod
    public String work(double seconds) throws InterruptedException {
        Thread.sleep((long) (seconds * 1000));
        return name;
    }

    /** Idempotent: a lost dealer's call of this is re-queued at the router. */
    @ServiceMethod(idempotent = true)
    public String retryable(double seconds) throws InterruptedException {
        Thread.sleep((long) (seconds * 1000));
        return name;
    }
}
