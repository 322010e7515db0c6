package io.voidrail.samples.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Router, dealer and client in one process: {@link EchoService} is served on the bus, {@link EchoController} calls
 * it over the bus, and {@link StartupCalls} shows a few calls in the log when the application is ready.
 */
@SpringBootApplication
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }

}
