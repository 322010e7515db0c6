package io.voidrail.boot.autoconfigure.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

import io.voidrail.boot.autoconfigure.internal.ServiceBeanPostProcessor.ServiceBean;
import io.voidrail.boot.event.VoidRailDealerLostEvent;
import io.voidrail.boot.event.VoidRailDealerRegisteredEvent;
import io.voidrail.dealer.RegistrationState;
import io.voidrail.dealer.ServiceDealer;
import io.voidrail.service.MethodHandler;
import io.voidrail.service.ReturnValueAdapter;
import io.voidrail.service.ServiceDefinition;
import io.voidrail.service.ServiceDefinitionException;

/**
 * Serves the {@code @VoidRailService} beans: checks them once all singletons exist (so a bad definition fails
 * start-up before anything binds or connects), then runs one {@link ServiceDealer} per service group from when the
 * context starts until it stops, and publishes their registrations as application events.
 */
public final class DealerLifecycle implements SmartLifecycle, SmartInitializingSingleton, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(DealerLifecycle.class);

    /** How long start-up waits for registration with the in-process router; the dealers keep trying after it. */
    private static final Duration REGISTRATION_WAIT = Duration.ofSeconds(5);

    private final ServiceBeanPostProcessor services;

    private final Supplier<List<ReturnValueAdapter>> adapters;

    private final Function<String, ServiceDealer.Builder> builders;

    private final boolean localRouter;

    private final ApplicationEventPublisher events;

    /** Publishes dealer events off the dealers' I/O threads, in the order they happen. */
    private volatile @Nullable ExecutorService publisher;

    private @Nullable Map<String, List<ServiceBean>> groups;

    private volatile List<ServiceDealer> dealers = List.of();

    private volatile boolean running;

    /** Released on stop; a non-daemon thread waits on it while dealers run. */
    private volatile CountDownLatch stopped = new CountDownLatch(0);

    /**
     * @param builders    a configured dealer builder for a service group
     * @param localRouter whether the router runs in this application, so that start-up can wait for registration
     */
    public DealerLifecycle(ServiceBeanPostProcessor services, Supplier<List<ReturnValueAdapter>> adapters,
            Function<String, ServiceDealer.Builder> builders, boolean localRouter, ApplicationEventPublisher events) {
        this.services = services;
        this.adapters = adapters;
        this.builders = builders;
        this.localRouter = localRouter;
        this.events = events;
    }

    @Override
    public void afterSingletonsInstantiated() {
        this.groups = groups();
    }

    /** The beans by service group, each checked: methods well defined, no public name twice in a group. */
    private Map<String, List<ServiceBean>> groups() {
        Map<String, List<ServiceBean>> byGroup = new LinkedHashMap<>();
        Map<String, String> owners = new LinkedHashMap<>();
        List<ReturnValueAdapter> adapterList = this.adapters.get();
        for (ServiceBean service : this.services.services()) {
            ServiceDefinition definition;
            try {
                definition = ServiceDefinition.of(service.bean(), service.userClass(), adapterList);
            }
            catch (ServiceDefinitionException ex) {
                throw new VoidRailSetupException("Bean '" + service.beanName() + "' (" + service.userClass().getName()
                        + ") cannot be served by VoidRail: " + ex.getMessage(),
                        "Fix the @ServiceMethod methods of " + service.userClass().getSimpleName()
                                + " as described above.", ex);
            }
            for (MethodHandler method : definition.methods()) {
                String owner = "bean '" + service.beanName() + "' (" + method.method().getDeclaringClass().getName()
                        + "." + method.method().getName() + ")";
                String previous = owners.putIfAbsent(method.publicName(), owner);
                if (previous != null) {
                    throw new VoidRailSetupException("Duplicate VoidRail method name " + method.publicName() + ": "
                            + previous + " and " + owner + " are both in service group '" + definition.group() + "'.",
                            "Give one of the methods another name with @ServiceMethod(name = \"...\"), or move one "
                                    + "class to another group with @VoidRailService(\"...\").", null);
                }
            }
            byGroup.computeIfAbsent(definition.group(), (group) -> new ArrayList<>()).add(service);
        }
        return byGroup;
    }

    @Override
    public void start() {
        Map<String, List<ServiceBean>> byGroup = (this.groups != null) ? this.groups : groups();
        List<ServiceDealer> started = new ArrayList<>();
        this.publisher = Executors.newSingleThreadExecutor((task) -> {
            Thread thread = new Thread(task, "voidrail-dealer-events");
            thread.setDaemon(true);
            return thread;
        });
        try {
            byGroup.forEach((group, beans) -> {
                ServiceDealer.Builder builder = this.builders.apply(group).stateListener(this::stateChanged);
                beans.forEach((service) -> builder.service(service.bean(), service.userClass()));
                started.add(builder.build().start());
            });
        }
        catch (RuntimeException ex) {
            started.forEach(ServiceDealer::close);
            throw ex;
        }
        this.dealers = List.copyOf(started);
        this.running = true;
        if (!started.isEmpty()) {
            keepAlive();
        }
        if (this.localRouter) {
            awaitRegistration();
        }
    }

    /**
     * Dealer threads are daemons; like a web server, running dealers keep the JVM alive, so that an application
     * with nothing else to do (a worker) serves until it is stopped.
     */
    private void keepAlive() {
        CountDownLatch latch = new CountDownLatch(1);
        this.stopped = latch;
        Thread thread = new Thread(() -> {
            try {
                latch.await();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }, "voidrail-dealers-keep-alive");
        thread.setDaemon(false);
        thread.start();
    }

    /**
     * The in-process router is up, so registration takes milliseconds; waiting makes the first call find the
     * dealers. A refused dealer (wrong key) will not do better by waiting: its future fails at once.
     */
    private void awaitRegistration() {
        CompletableFuture<?>[] outcomes = this.dealers.stream()
            .map((dealer) -> dealer.registered().exceptionally((ex) -> dealer))
            .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(outcomes).get(REGISTRATION_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (ExecutionException | TimeoutException ex) {
            // reported below, dealer by dealer
        }
        this.dealers.stream()
            .filter((dealer) -> !dealer.isRegistered())
            .forEach((dealer) -> log.warn("VoidRail dealer {} is {}, not registered; it keeps trying in the background",
                    dealer.identity(), dealer.state()));
    }

    /** On a dealer's I/O thread: hand the event to the publishing thread at once. */
    private void stateChanged(ServiceDealer dealer, RegistrationState previous, RegistrationState current) {
        ApplicationEvent event = null;
        if (current == RegistrationState.REGISTERED) {
            event = new VoidRailDealerRegisteredEvent(dealer);
        }
        else if (previous == RegistrationState.REGISTERED
                && (current == RegistrationState.REGISTERING || current == RegistrationState.REFUSED)) {
            event = new VoidRailDealerLostEvent(dealer, current);
        }
        ExecutorService executor = this.publisher;
        if (event != null && executor != null) {
            ApplicationEvent published = event;
            try {
                executor.execute(() -> publish(published));
            }
            catch (RejectedExecutionException ex) {
                // stopping: nobody listens any more
            }
        }
    }

    private void publish(ApplicationEvent event) {
        try {
            this.events.publishEvent(event);
        }
        catch (RuntimeException ex) {
            log.warn("A listener of {} failed", event.getClass().getSimpleName(), ex);
        }
    }

    /** Closes every dealer at once: each finishes its calls within its grace period. */
    @Override
    public void stop() {
        this.running = false;
        this.stopped.countDown();
        List<Thread> closing = new ArrayList<>();
        for (ServiceDealer dealer : this.dealers) {
            Thread thread = new Thread(dealer::close, "voidrail-stop-" + dealer.group());
            thread.start();
            closing.add(thread);
        }
        for (Thread thread : closing) {
            try {
                thread.join();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        ExecutorService executor = this.publisher;
        if (executor != null) {
            executor.shutdown();
        }
    }

    /** Also when start-up fails after the dealers started: then the context is destroyed without being stopped. */
    @Override
    public void destroy() {
        if (this.running) {
            stop();
        }
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        return VoidRailPhases.DEALERS;
    }

    /** The dealers of the last start, one per service group. */
    public List<ServiceDealer> dealers() {
        return this.dealers;
    }

}
