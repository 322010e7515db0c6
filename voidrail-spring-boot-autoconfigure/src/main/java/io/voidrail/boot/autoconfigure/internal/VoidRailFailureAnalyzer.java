package io.voidrail.boot.autoconfigure.internal;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a {@link VoidRailSetupException} into Spring Boot's "APPLICATION FAILED TO START" report. */
class VoidRailFailureAnalyzer extends AbstractFailureAnalyzer<VoidRailSetupException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, VoidRailSetupException cause) {
        return new FailureAnalysis(String.valueOf(cause.getMessage()), cause.action(), cause);
    }

}
