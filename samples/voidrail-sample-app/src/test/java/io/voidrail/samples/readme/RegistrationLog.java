package io.voidrail.samples.readme;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import io.voidrail.boot.event.VoidRailDealerLostEvent;
import io.voidrail.boot.event.VoidRailDealerRegisteredEvent;

// README, "Lifecycle events"
@Component
class RegistrationLog {

    private static final Logger log = LoggerFactory.getLogger(RegistrationLog.class);

    final List<String> groups = new CopyOnWriteArrayList<>();

    @EventListener
    void registered(VoidRailDealerRegisteredEvent event) {
        log.info("{} serves {} via {}", event.getDealer().identity(), event.getGroup(), event.getDealer().routerAddress());
        groups.add(event.getGroup());
    }

    @EventListener
    void lost(VoidRailDealerLostEvent event) {
        log.warn("{} lost its router ({}); it registers again by itself", event.getDealer().identity(), event.getState());
    }

}
