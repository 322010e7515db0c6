package io.voidrail.samples.readme;

import org.springframework.boot.autoconfigure.SpringBootApplication;

import io.voidrail.boot.autoconfigure.ImportVoidRailClients;
import io.voidrail.samples.app.EchoClient;

// README, "Typed clients": a typed client of an interface outside the application's packages
@SpringBootApplication
@ImportVoidRailClients(EchoClient.class)   // or basePackages, basePackageClasses
class FrontApplication { }
