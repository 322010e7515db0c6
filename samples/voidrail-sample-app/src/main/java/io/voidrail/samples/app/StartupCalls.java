package io.voidrail.samples.app;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import io.voidrail.client.VoidRailClient;

/** Makes a few calls once the application is up, so that the log shows the bus at work. */
@Component
@ConditionalOnBooleanProperty(name = "sample.startup-calls", matchIfMissing = true)
public class StartupCalls implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(StartupCalls.class);

    private final VoidRailClient client;

    private final EchoClient echo;

    private final Environment environment;

    public StartupCalls(VoidRailClient client, EchoClient echo, Environment environment) {
        this.client = client;
        this.echo = echo;
        this.environment = environment;
    }

    @Override
    public void run(ApplicationArguments args) {
        log.info("EchoService.echo(\"hello VoidRail\") -> {}",
                this.client.invoke("EchoService.echo", String.class, "hello VoidRail"));
        log.info("EchoService.add(5, 3) -> {}", this.echo.add(5, 3));
        log.info("EchoService.stream(0, 5) -> {}", this.echo.stream(0, 5).collectList().block(Duration.ofSeconds(30)));
        log.info("EchoService.slow(0.2) -> {}", this.echo.slow(0.2).block(Duration.ofSeconds(30)));
        log.info("EchoClient.echoAsync(\"no waiting\") -> {}", this.echo.echoAsync("no waiting").join());
        String port = this.environment.getProperty("local.server.port", "8080");
        log.info("Try: curl 'localhost:{}/add?a=2&b=40'   and   curl localhost:{}/actuator/voidrail", port, port);
    }

}
