package io.voidrail.boot.autoconfigure.dashboard;

import org.springframework.context.SmartLifecycle;

import io.voidrail.boot.autoconfigure.internal.VoidRailPhases;
import io.voidrail.dashboard.Dashboard;

/** Samples the bus in the background once the router, client and dealers are up, so the charts have a past. */
final class DashboardSampler implements SmartLifecycle {

    private final Dashboard dashboard;

    private volatile boolean running;

    DashboardSampler(Dashboard dashboard) {
        this.dashboard = dashboard;
    }

    @Override
    public void start() {
        this.dashboard.start();
        this.running = true;
    }

    @Override
    public void stop() {
        this.dashboard.close();
        this.running = false;
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        return VoidRailPhases.DEALERS + 512;
    }

}
