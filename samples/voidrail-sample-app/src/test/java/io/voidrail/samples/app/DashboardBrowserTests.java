package io.voidrail.samples.app;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.voidrail.client.VoidRailClient;
import io.voidrail.dashboard.Dashboard;
import io.voidrail.dashboard.DashboardServer;
import io.voidrail.router.ServiceRouter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard as an operator sees it: the sample application (under a context path, on free ports) in a real
 * headless Chromium. The EchoService dealer and its methods show; calls move the counters and the queue of the
 * one-slot dealer; a second dealer in its own JVM appears and, killed with SIGKILL, turns lost; a phone-sized window
 * needs no sideways scrolling and updates move nothing; an empty bus served by the JDK server (as the CLI does) says
 * how to start a dealer. The browser's console must stay free of errors. Saves the
 * screenshot of the README ({@code docs/dashboard.png}).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "server.servlet.context-path=/app", "voidrail.router.bind-address=tcp://127.0.0.1:0",
                "voidrail.router.heartbeat-timeout=1500ms",
                "voidrail.router.busy-heartbeat-timeout=3s", "voidrail.dealer.heartbeat-interval=250ms",
                "voidrail.dashboard.enabled=true", "voidrail.dashboard.refresh-interval=500ms" })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTests {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private static final Duration WAIT = Duration.ofSeconds(30);

    @LocalServerPort
    private int port;

    @Autowired
    private VoidRailClient client;

    @Autowired
    private ServiceRouter router;

    private ChromeDriver browser;

    private Path profile;

    private Process extraDealer;

    @BeforeAll
    void startBrowser() throws IOException {
        assertThat(CHROMEDRIVER).as("Debian's chromium and chromium-driver (apt-get install chromium chromium-driver,"
                + " as .ci/run does)").isExecutable();
        this.profile = Files.createTempDirectory("voidrail-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + this.profile, "--window-size=1280,1000");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
        this.browser = new ChromeDriver(service, options);
        this.browser.manage().timeouts().pageLoadTimeout(WAIT);
    }

    @AfterAll
    void stopBrowser() throws IOException {
        if (this.extraDealer != null) {
            this.extraDealer.destroyForcibly();
        }
        if (this.browser != null) {
            this.browser.quit();
        }
        try (var files = Files.walk(this.profile)) {
            files.sorted((a, b) -> b.compareTo(a)).map(Path::toFile).forEach(File::delete);
        }
    }

    @AfterEach
    void consoleHasNoErrors() {
        List<LogEntry> errors = this.browser.manage().logs().get(LogType.BROWSER).getAll().stream()
            .filter((entry) -> entry.getLevel().intValue() >= Level.WARNING.intValue())
            .toList();
        assertThat(errors).as("browser console").isEmpty();
    }

    @Test
    @Order(1)
    void showsTheRouterTheEchoDealerAndItsMethods() {
        // without the trailing slash: the relative redirect must hold under the context path
        this.browser.get("http://127.0.0.1:" + this.port + "/app/voidrail");
        assertThat(this.browser.getCurrentUrl()).endsWith("/app/voidrail/");
        awaitRender();
        assertThat(text("t-mode")).isEqualTo("FIFO");
        assertThat(text("t-version")).isEqualTo("Java " + io.voidrail.VoidRailVersion.VERSION);
        assertThat(text("t-auth")).contains("Off");
        assertThat(text("t-encryption")).contains("Off");
        assertThat(text("address")).isEqualTo(this.router.address());
        assertThat(this.browser.findElement(By.id("empty")).isDisplayed()).isFalse();

        List<WebElement> dealers = rows("dealers");
        assertThat(dealers).hasSize(1);
        assertThat(dealers.get(0).getText()).contains("EchoService-", "Active", "EchoService", "Java",
                "pid " + ProcessHandle.current().pid(), "0 / 1");
        assertThat(cell(dealers.get(0), 8).split(", ")).containsExactlyInAnyOrder("add", "echo", "fail", "slow", "stream");
        assertThat(rows("methods")).extracting((row) -> cell(row, 0))
            .containsExactly("EchoService.add", "EchoService.echo", "EchoService.fail", "EchoService.slow",
                "EchoService.stream");
        assertThat(this.browser.findElement(By.cssSelector("#chart-rate canvas")).isDisplayed()).isTrue();
    }

    @Test
    @Order(2)
    void callsMoveTheCountersAndTheQueueOfTheOneSlotDealer() {
        long servedBefore = Long.parseLong(cell(rows("dealers").get(0), 6).replace(",", ""));
        List<CompletableFuture<?>> calls = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            calls.add(this.client.call("EchoService.slow").arg(1.0).timeout(Duration.ofSeconds(30)).invokeAsync(Slept.class));
        }
        // waits behind the slow calls and runs out of time there: an error the page lists
        CompletableFuture<String> late = this.client.call("EchoService.echo")
            .arg("too late")
            .timeout(Duration.ofMillis(300))
            .invokeAsync(String.class);

        until(() -> Integer.parseInt(cell(row("methods", "EchoService.slow"), 1)) >= 1
                && !cell(row("methods", "EchoService.slow"), 2).equals("\u2014"));
        assertThat(Integer.parseInt(text("t-queued"))).isPositive();
        assertThat(read(() -> state(rows("dealers").get(0)))).isEqualTo("Busy");
        assertThat(read(() -> cell(rows("dealers").get(0), 5))).isEqualTo("1 / 1");

        for (int i = 0; i < 30; i++) {
            calls.add(this.client.invokeAsync("EchoService.echo", String.class, "hello " + i));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
        assertThat(late).isCompletedExceptionally();

        until(() -> Long.parseLong(cell(rows("dealers").get(0), 6).replace(",", "")) >= servedBefore + 33
                && cell(row("methods", "EchoService.slow"), 1).equals("0"));
        assertThat(Long.parseLong(read(() -> cell(row("methods", "EchoService.slow"), 7)))).isGreaterThanOrEqualTo(3);
        assertThat(read(() -> cell(row("methods", "EchoService.slow"), 6)))
                .matches("\\d\\.\\d\\d s|\\d+(\\.\\d)? s"); // p99: seconds, queueing included
        assertThat(read(() -> state(rows("dealers").get(0)))).isEqualTo("Active");
        until(() -> !rows("errors").isEmpty());
        assertThat(read(() -> rows("errors").get(0).getText())).contains("EchoService.echo")
            .containsAnyOf("DEADLINE_EXCEEDED", "CANCELLED");
        assertThat(this.browser.findElement(By.id("error-codes")).getText()).containsAnyOf("DEADLINE_EXCEEDED",
                "CANCELLED");
    }

    @Test
    @Order(3)
    void aDealerInAnotherProcessAppearsAndTurnsLostWhenKilled() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        this.extraDealer = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-Xmx128m", "-cp",
                System.getProperty("java.class.path"), ExtraDealer.class.getName(), this.router.address())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
        String pid = "pid " + this.extraDealer.pid();
        until(() -> rows("dealers").size() == 2 && state(rowContaining("dealers", pid)).equals("Active"));

        this.extraDealer.destroyForcibly(); // SIGKILL: no shutdown message, the heartbeats just stop
        assertThat(this.extraDealer.waitFor(10, TimeUnit.SECONDS)).isTrue();
        until(() -> state(rowContaining("dealers", pid)).equals("Lost"));
        assertThat(rowContaining("dealers", pid).getAttribute("class")).isEqualTo("gone");
        assertThat(text("t-dealers")).isEqualTo("1 / 2");
        screenshot();
    }

    @Test
    @Order(4)
    void onAPhoneNothingScrollsSidewaysAndUpdatesMoveNothing() {
        this.browser.manage().window().setSize(new Dimension(390, 844));
        this.browser.navigate().refresh();
        awaitRender();
        JavascriptExecutor js = this.browser;
        Object overflow = js.executeScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        assertThat(((Number) overflow).intValue()).isLessThanOrEqualTo(0);
        String tiles = "return Array.from(document.querySelectorAll('.tile, .card')).map(e => { const r = e.getBoundingClientRect(); return [r.x, r.y, r.width, r.height].join(','); }).join(';');";
        Object before = js.executeScript(tiles);
        this.client.invoke("EchoService.echo", String.class, "one more");
        awaitRender();
        awaitRender();
        assertThat(js.executeScript(tiles)).isEqualTo(before);
        assertThat(this.browser.findElement(By.cssSelector(".tiles")).getSize().getWidth()).isLessThanOrEqualTo(390);
    }

    @Test
    @Order(5)
    void anEmptyBusServedByTheJdkServerSaysHowToStartADealer() {
        // as `voidrail router --dashboard-port` serves it: the JDK's HTTP server, a router without dealers
        try (ServiceRouter empty = ServiceRouter.builder().address("tcp://127.0.0.1:0").build().start();
                Dashboard dashboard = Dashboard.forRouter(empty).refreshInterval(Duration.ofMillis(500)).build();
                DashboardServer server = DashboardServer.start(dashboard, "127.0.0.1", 0, "/voidrail")) {
            this.browser.manage().window().setSize(new Dimension(1280, 1000));
            this.browser.get(server.url());
            awaitRender();
            assertThat(this.browser.findElement(By.id("empty")).isDisplayed()).isTrue();
            assertThat(text("cmd-cli")).isEqualTo("voidrail dealer --host 127.0.0.1 --port " + empty.port()
                    + " --class io.voidrail.cli.example.EchoService");
            assertThat(text("cmd-spring")).isEqualTo("voidrail.router-address=tcp://127.0.0.1:" + empty.port());
            assertThat(this.browser.findElement(By.id("dealers")).isDisplayed()).isFalse();
            assertThat(text("no-methods")).isEqualTo("No method on offer and no call yet.");
            assertThat(text("t-dealers")).isEqualTo("0 / 0");
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Waits for the page to apply a snapshot newer than the one it showed. */
    private void awaitRender() {
        JavascriptExecutor js = this.browser;
        Object seen = js.executeScript("return document.body.dataset.updated || '';");
        new WebDriverWait(this.browser, WAIT).until((driver) -> {
            Object now = js.executeScript("return document.body.dataset.updated || '';");
            return !"".equals(now) && !now.equals(seen);
        });
    }

    private void until(java.util.function.BooleanSupplier condition) {
        new WebDriverWait(this.browser, WAIT).ignoring(RuntimeException.class).until((driver) -> condition.getAsBoolean());
    }

    /**
     * Reads what the page shows from elements it may replace meanwhile: it re-renders its tables at every refresh, so
     * a row found a moment ago can be stale by the time it is read (CI met it).
     */
    private String read(Supplier<String> reading) {
        return new WebDriverWait(this.browser, WAIT).ignoring(StaleElementReferenceException.class)
                .until((driver) -> reading.get());
    }

    private String text(String id) {
        return this.browser.findElement(By.id(id)).getText();
    }

    private List<WebElement> rows(String table) {
        return this.browser.findElements(By.cssSelector("#" + table + " tbody tr"));
    }

    private WebElement row(String table, String key) {
        return this.browser.findElement(By.cssSelector("#" + table + " tbody tr[data-key='" + key + "']"));
    }

    private WebElement rowContaining(String table, String text) {
        return rows(table).stream().filter((row) -> row.getText().contains(text)).findFirst().orElseThrow();
    }

    /** The word of a dealer's state badge (its icon is hidden from screen readers, and left out here). */
    private static String state(WebElement row) {
        return row.findElement(By.cssSelector(".badge > span:last-child")).getText();
    }

    private static String cell(WebElement row, int index) {
        return row.findElements(By.cssSelector("th, td")).get(index).getText();
    }

    /** The README's picture: the whole page at laptop width, taken from this run. */
    private void screenshot() throws IOException {
        this.browser.manage().window().setSize(new Dimension(1280, 1000));
        JavascriptExecutor js = this.browser;
        Number chrome = (Number) js.executeScript("return window.outerHeight - window.innerHeight;");
        Number height = (Number) js.executeScript("return document.documentElement.scrollHeight;");
        this.browser.manage().window()
            .setSize(new Dimension(1280, Math.min(3000, height.intValue() + chrome.intValue())));
        awaitRender();
        byte[] png = this.browser.getScreenshotAs(OutputType.BYTES);
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.exists(root.resolve("mvnw"))) {
            root = root.getParent();
        }
        Files.write(Path.of("target", "dashboard.png"), png);
        if (root != null) {
            Files.createDirectories(root.resolve("docs"));
            Files.write(root.resolve("docs/dashboard.png"), png);
        }
    }

    static {
        // Selenium must not look for drivers or browsers on the network: both are Debian's
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        System.setProperty("SE_AVOID_STATS", "true");
    }

}
