package io.voidrail.samples.split.worker;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * A worker of a split deployment: no web server and no router, only dealers for its {@code @VoidRailService}
 * beans, connected to the front's router ({@code voidrail.router-address}). Start as many as the work needs.
 * Configured by {@code worker.yml}.
 */
@SpringBootApplication
public class WorkerApplication {

    public static void main(String[] args) {
        new SpringApplicationBuilder(WorkerApplication.class).properties("spring.config.name=worker").run(args);
    }

}
