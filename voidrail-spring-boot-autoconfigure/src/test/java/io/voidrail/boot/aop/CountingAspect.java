package io.voidrail.boot.aop;

import java.util.concurrent.atomic.AtomicInteger;

import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;

/** Counts calls that went through a Spring AOP proxy, and marks their results. */
@Aspect
public class CountingAspect {

    public final AtomicInteger calls = new AtomicInteger();

    @Around("@annotation(io.voidrail.boot.aop.Counted)")
    public Object count(ProceedingJoinPoint call) throws Throwable {
        this.calls.incrementAndGet();
        return "advised " + call.proceed();
    }

}
