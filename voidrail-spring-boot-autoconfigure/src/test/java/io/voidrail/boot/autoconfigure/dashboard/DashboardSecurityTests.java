package io.voidrail.boot.autoconfigure.dashboard;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in real servlet and reactive servers, under a context path, protected by the Spring Security
 * configurations that the README shows.
 */
class DashboardSecurityTests {

    private static final String[] PROPERTIES = { "server.port=0", "voidrail.router.enabled=true",
            "voidrail.router.bind-address=tcp://127.0.0.1:0", "voidrail.dealer.enabled=false",
            "voidrail.dashboard.enabled=true" };

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void servletApplicationUnderAContextPathAsksForTheOpsRole() throws Exception {
        checkProtectedDashboard(ServletApplication.class, WebApplicationType.SERVLET, "server.servlet.context-path=/ops");
    }

    @Test
    void reactiveApplicationUnderABasePathAsksForTheOpsRole() throws Exception {
        checkProtectedDashboard(ReactiveApplication.class, WebApplicationType.REACTIVE, "spring.webflux.base-path=/ops");
    }

    private void checkProtectedDashboard(Class<?> application, WebApplicationType type, String prefix)
            throws Exception {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(application).web(type)
            .properties(PROPERTIES)
            .properties(prefix)
            .run()) {
            String base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port") + "/ops";
            checkProtectedDashboard(base);
        }
    }

    private void checkProtectedDashboard(String base) throws Exception {
        assertThat(get(base + "/voidrail/", null).statusCode()).isEqualTo(401);
        assertThat(get(base + "/voidrail/snapshot.json", null).statusCode()).isEqualTo(401);
        assertThat(get(base + "/voidrail/", "dev:dev").statusCode()).isEqualTo(403);

        HttpResponse<String> mount = get(base + "/voidrail", "ops:ops");
        assertThat(mount.statusCode()).isEqualTo(302);
        assertThat(URI.create(base + "/voidrail").resolve(mount.headers().firstValue("Location").orElseThrow()))
            .hasPath("/ops/voidrail/");
        HttpResponse<String> page = get(base + "/voidrail/", "ops:ops");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).get().asString().startsWith("text/html");
        assertThat(page.body()).contains("<title>VoidRail dashboard</title>");
        assertThat(get(base + "/voidrail/uplot.min.js", "ops:ops").body()).contains("uPlot");
        HttpResponse<String> json = get(base + "/voidrail/snapshot.json", "ops:ops");
        assertThat(json.headers().firstValue("Content-Type")).get().asString().startsWith("application/json");
        assertThat(json.body()).contains("\"local\":true", "\"reachable\":true", "\"mode\":\"fifo\"");
    }

    private HttpResponse<String> get(String url, String user) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (user != null) {
            request.header("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(user.getBytes(StandardCharsets.UTF_8)));
        }
        return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static UserDetails[] users() {
        return new UserDetails[] { User.withUsername("ops").password("{noop}ops").roles("OPS").build(),
                User.withUsername("dev").password("{noop}dev").roles("DEV").build() };
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class ServletApplication {

        // the README's snippet: the dashboard's paths need the OPS role
        @Bean
        SecurityFilterChain voidRailDashboardSecurity(HttpSecurity http) throws Exception {
            http.securityMatcher("/voidrail/**")               // the dashboard's path, without the context path
                .authorizeHttpRequests((requests) -> requests.anyRequest().hasRole("OPS"))
                .httpBasic(Customizer.withDefaults());         // or formLogin(), oauth2Login()
            return http.build();
        }

        @Bean
        InMemoryUserDetailsManager users() {
            return new InMemoryUserDetailsManager(DashboardSecurityTests.users());
        }

    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class ReactiveApplication {

        // the README's reactive snippet
        @Bean
        SecurityWebFilterChain voidRailDashboardSecurity(ServerHttpSecurity http) {
            return http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/voidrail", "/voidrail/**"))
                .authorizeExchange((exchanges) -> exchanges.anyExchange().hasRole("OPS"))
                .httpBasic(Customizer.withDefaults())
                .build();
        }

        @Bean
        MapReactiveUserDetailsService users() {
            return new MapReactiveUserDetailsService(DashboardSecurityTests.users());
        }

    }

}
