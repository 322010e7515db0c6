package io.voidrail.boot.autoconfigure;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code voidrail.*} property of the generated configuration metadata (groups added later included) has
 * environment variables of its own: Spring's own mapping of a variable to property names decides, for the canonical
 * form ({@code VOIDRAIL_ROUTERADDRESS}) and the legacy one with dashes as underscores ({@code VOIDRAIL_ROUTER_ADDRESS}).
 */
class PropertyNamesTests {

    @Test
    void noTwoPropertiesShareAnEnvironmentVariable() throws Exception {
        List<String> names = voidRailProperties();
        assertThat(names).contains("voidrail.router-address", "voidrail.router.bind-address", "voidrail.api-key",
                "voidrail.web.problem-details.enabled").hasSizeGreaterThan(20);
        assertThat(sharedVariables(names)).as("environment variables that set more than one property").isEmpty();
    }

    @Test
    void theOldNamesSharedOne() {
        assertThat(sharedVariables(List.of("voidrail.router-address", "voidrail.router.address")))
            .containsEntry("VOIDRAIL_ROUTER_ADDRESS", List.of("voidrail.router-address", "voidrail.router.address"));
    }

    private static Map<String, List<String>> sharedVariables(List<String> names) {
        Map<String, List<String>> shared = new LinkedHashMap<>();
        for (String name : names) {
            for (String variable : environmentVariables(name)) {
                ConfigurationPropertySource environment = ConfigurationPropertySource
                    .from(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                            Map.of(variable, "x")));
                List<String> bound = names.stream()
                    .filter((other) -> environment.getConfigurationProperty(ConfigurationPropertyName.of(other)) != null)
                    .toList();
                assertThat(bound).as(variable).contains(name);
                if (bound.size() > 1) {
                    shared.put(variable, bound);
                }
            }
        }
        return shared;
    }

    /** The properties in force: removed ones (deprecation level error) are listed only to say what replaced them. */
    private static List<String> voidRailProperties() throws Exception {
        List<String> names = new ArrayList<>();
        try (InputStream in = PropertyNamesTests.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("the configuration processor's metadata").isNotNull();
            for (JsonNode property : JsonMapper.builder().build().readTree(in).path("properties")) {
                String name = property.path("name").asString();
                if (name.startsWith("voidrail.") && !"error".equals(property.path("deprecation").path("level").asString(""))) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    private static List<String> environmentVariables(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return List.of(upper.replace(".", "_").replace("-", ""), upper.replace(".", "_").replace("-", "_"));
    }

}
