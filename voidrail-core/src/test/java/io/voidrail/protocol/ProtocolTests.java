package io.voidrail.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProtocolTests {

    /** The build writes the version; router_info, register and the CLI's -V all show this one. */
    @Test
    void implementationCarriesTheBuildVersion() {
        assertThat(Protocol.VERSION).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(Protocol.IMPLEMENTATION).isEqualTo("voidrail-java/" + Protocol.VERSION);
    }
}
