package io.voidrail.samples.readme;

import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponse;

import io.voidrail.boot.autoconfigure.VoidRailConnectionDetails;
import io.voidrail.boot.autoconfigure.VoidRailProperties;
import io.voidrail.boot.web.DefaultVoidRailProblemDetailsMapper;
import io.voidrail.boot.web.VoidRailProblemDetailsMapper;
import io.voidrail.ErrorCode;

// README, "Customizing": connection details from a platform, and one status of the problem details changed
// (no @Configuration, so that FrontApplication's component scan leaves it out: tests import it)
class PlatformConfiguration {

    @Bean
    VoidRailConnectionDetails voidRailConnectionDetails() {
        return () -> "tcp://router.internal:5555";   // also getApiKey(), default none
    }

    @Bean
    VoidRailProblemDetailsMapper problemDetails(VoidRailProperties properties) {
        VoidRailProblemDetailsMapper defaults = new DefaultVoidRailProblemDetailsMapper(properties);
        return (ex) -> (ex.code() == ErrorCode.NOT_FOUND)
                ? ErrorResponse.create(ex, HttpStatus.NOT_FOUND, "No such thing") : defaults.toErrorResponse(ex);
    }

}
