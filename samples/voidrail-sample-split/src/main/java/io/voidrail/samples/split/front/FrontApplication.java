package io.voidrail.samples.split.front;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The web front of a split deployment: it runs the router and serves HTTP, and hands every request's work to the
 * workers ({@code WorkerApplication}, any number of them, on any machine) over the bus. Configured by
 * {@code front.yml}.
 */
@SpringBootApplication
public class FrontApplication {

    public static void main(String[] args) {
        new SpringApplicationBuilder(FrontApplication.class).properties("spring.config.name=front").run(args);
    }

}
