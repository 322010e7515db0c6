package io.voidrail.boot.autoconfigure.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;

import io.voidrail.VoidRailException;
import io.voidrail.boot.event.VoidRailRouterStartedEvent;
import io.voidrail.boot.event.VoidRailRouterStoppedEvent;
import io.voidrail.router.ServiceRouter;

/**
 * Starts the in-process router before dealers, clients and the web server, and stops it after them: stopping waits
 * (bounded) for the calls dealers are running, then closes the router, which tells its dealers and answers what is
 * still queued. The bound port is published as {@value #PORT_PROPERTY}; start and stop as application events.
 */
public final class RouterLifecycle implements SmartLifecycle {

    public static final String PORT_PROPERTY = "local.voidrail.router.port";

    private final ServiceRouter router;

    private final Duration shutdownTimeout;

    private final ConfigurableEnvironment environment;

    private final ApplicationEventPublisher events;

    public RouterLifecycle(ServiceRouter router, Duration shutdownTimeout, ConfigurableEnvironment environment,
            ApplicationEventPublisher events) {
        this.router = router;
        this.shutdownTimeout = shutdownTimeout;
        this.environment = environment;
        this.events = events;
    }

    @Override
    public void start() {
        try {
            this.router.start();
        }
        catch (VoidRailException ex) {
            throw new VoidRailSetupException(ex.getMessage(), "Stop whatever uses " + this.router.address()
                    + ", or set 'voidrail.router.bind-address' to another address (port 0 picks a free port).", ex);
        }
        publishPort(this.router.port());
        this.events.publishEvent(new VoidRailRouterStartedEvent(this.router));
    }

    @Override
    public void stop() {
        if (!this.router.isRunning()) {
            return;
        }
        String address = this.router.address();
        this.router.close(this.shutdownTimeout); // returns as the last running call ends, or warns after the timeout
        this.events.publishEvent(new VoidRailRouterStoppedEvent(this.router, address));
    }

    @Override
    public boolean isRunning() {
        return this.router.isRunning();
    }

    @Override
    public int getPhase() {
        return VoidRailPhases.ROUTER;
    }

    private void publishPort(int port) {
        MutablePropertySources sources = this.environment.getPropertySources();
        PropertySource<?> existing = sources.get("voidrail.ports");
        if (existing instanceof MapPropertySource map) {
            map.getSource().put(PORT_PROPERTY, port);
        }
        else {
            Map<String, Object> ports = new HashMap<>();
            ports.put(PORT_PROPERTY, port);
            sources.addFirst(new MapPropertySource("voidrail.ports", ports));
        }
    }

}
