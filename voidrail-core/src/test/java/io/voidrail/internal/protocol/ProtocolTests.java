package io.voidrail.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.voidrail.VoidRailVersion;

class ProtocolTests {

    /** The build writes the version; router_info, register and the CLI's -V all show this one. */
    @Test
    void implementationCarriesTheBuildVersion() {
        assertThat(VoidRailVersion.VERSION).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(VoidRailVersion.IMPLEMENTATION).isEqualTo("voidrail-java/" + VoidRailVersion.VERSION);
    }
}
