package io.voidrail.boot.aop;

import io.voidrail.annotation.ServiceMethod;

public interface Greeter {

    @ServiceMethod
    String greet(String name);

}
