package dev.triage.app;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver (never a downloaded browser or
 * driver: Selenium Manager is bypassed by naming both binaries). A missing package fails the test
 * with the command that installs it; {@code .ci/run} installs both.
 */
final class HeadlessChromium implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final int WIDTH = 1366;
    static final int HEIGHT = 768;

    final ChromeDriver driver;
    private final Path profile;

    HeadlessChromium() {
        for (Path binary : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(binary)) {
                fail(binary + " is missing: the dashboard is tested in real headless Chromium. Install Debian's packages with "
                        + "`apt-get install -y chromium chromium-driver` (.ci/run does this when they are missing).");
            }
        }
        try {
            profile = Files.createTempDirectory("triage-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--force-device-scale-factor=1",
                "--user-data-dir=" + profile, "--window-size=" + WIDTH + "," + HEIGHT);
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        driver = new ChromeDriver(service, options);
    }

    /**
     * Polls {@code check} every 50 ms until it gives a value other than null or false; fails after {@code timeout},
     * saying {@code what} it waited for.
     */
    static <T> T until(Duration timeout, String what, Supplier<T> check) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value;
            try {
                value = check.get();
            } catch (WebDriverException e) {
                value = null; // the page is being redrawn: look again
            }
            if (value != null && !Boolean.FALSE.equals(value)) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                return fail("waited " + timeout.toMillis() + " ms for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Makes the page's viewport {@code width x height} CSS pixels, whatever the window's frame takes. */
    void viewport(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
        long innerW = (Long) driver.executeScript("return window.innerWidth");
        long innerH = (Long) driver.executeScript("return window.innerHeight");
        driver.manage().window().setSize(new Dimension(2 * width - (int) innerW, 2 * height - (int) innerH));
    }

    /** A PNG of the viewport. */
    void screenshot(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A PNG of the whole page at {@code width} pixels: the viewport is stretched to the page's height for the shot. */
    void fullPageScreenshot(Path file, int width) {
        viewport(width, HEIGHT);
        long height = (Long) driver.executeScript("return document.documentElement.scrollHeight");
        viewport(width, (int) height);
        screenshot(file);
        viewport(width, HEIGHT);
    }

    /** Console messages at SEVERE since the last call, without the failed-resource lines a 401 or 400 answer logs. */
    List<String> scriptErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(m -> !m.contains("Failed to load resource"))
                .toList();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp profile left behind is harmless
            }
        }
    }
}
