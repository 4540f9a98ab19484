package jgrad.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web page in a real browser: headless Chromium (Debian's chromium and chromium-driver, which
 * .ci/run installs) driven through Selenium against a running server. The board renders in score
 * order, sorts by a clicked column, shows a submission that arrives while it is open (live
 * refresh, no reload), draws a participant's history, escapes a name that is a script, and hides
 * the wide columns on a phone-sized window. Skipped, saying why, only where no Chromium is installed.
 */
class BoardPageBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium"), DRIVER = Path.of("/usr/bin/chromedriver");
    static final String SCRIPT_NAME = "<script>alert(1)</script>";
    @TempDir static Path dir;
    static BoardStore store;
    static BoardServer server;
    static Competition c;
    static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "no headless Chromium: install Debian's chromium and chromium-driver (.ci/run does)");
        store = BoardStore.open(dir.resolve("b.db").toString(), Clock.systemUTC());
        c = Fixtures.create(store, "Browser cup", 100, Competition.Keep.BEST, 10, null);
        submit("ann", 0.6, 2);
        submit(SCRIPT_NAME, 0.8, 1);
        submit("bob", 0.4, 1);
        server = new BoardServer(store, c, "127.0.0.1", 0, 1 << 16);
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1200,900");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER.toString())).build();
        browser = new ChromeDriver(service, o);
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.quit();
        if (server != null) server.close();
        if (store != null) store.close();
    }

    /** A participant (added on first use) submits predictions right on the first {@code share} of the items, {@code times} times. */
    static void submit(String name, double share, int times) {
        String token = store.addParticipant(c, name);
        boolean[] right = new boolean[c.size()];
        for (int i = 0; i < c.size() * share; i++) right[i] = true;
        for (int k = 0; k < times; k++) store.submit(c, token, Fixtures.predictions(c, right), "{\"lr\":0.0" + (k + 1) + "}", "try " + k);
    }

    /** The names column top to bottom, read in one script call (the page may redraw between two element reads). */
    @SuppressWarnings("unchecked")
    static List<String> names() {
        return (List<String>) ((org.openqa.selenium.JavascriptExecutor) browser)
                .executeScript("return Array.from(document.querySelectorAll('#board tbody td.name')).map(e => e.textContent)");
    }

    /**
     * The text of every element that matches, read in one script: the page re-renders every 0.3 s,
     * so elements found first and read after can be replaced in between (stale).
     */
    @SuppressWarnings("unchecked")
    static List<String> texts(String css) {
        return (List<String>) ((org.openqa.selenium.JavascriptExecutor) browser)
                .executeScript("return Array.from(document.querySelectorAll(arguments[0])).map(e => e.textContent.trim())", css);
    }

    static WebDriverWait waitUpTo(int seconds) {
        return new WebDriverWait(browser, Duration.ofSeconds(seconds));
    }

    @Test
    void theBoardRendersSortsRefreshesAndEscapes() {
        browser.manage().window().setSize(new Dimension(1200, 900));
        browser.get("http://127.0.0.1:" + server.port() + "/?refresh=0.3");
        waitUpTo(15).until(d -> names().size() == 3);
        double[] expected = new double[3];
        List<Standings.Line> lines = Standings.of(c, false, store.rows(c, null));
        for (int i = 0; i < 3; i++) expected[i] = lines.get(i).score();
        assertThat(names()).as("ranked by public score").containsExactly(lines.get(0).name(), lines.get(1).name(), lines.get(2).name());
        assertThat(names()).contains(SCRIPT_NAME);
        List<String> scores = texts("#board tbody td.score");
        for (int i = 0; i < 3; i++) assertThat(scores.get(i)).isEqualTo(String.format(java.util.Locale.ROOT, "%.2f%%", 100 * expected[i]));
        // the name is text: no alert, and the only script element is the page's own
        assertThat(browser.findElements(By.tagName("script"))).hasSize(1);
        assertThat(alertShown()).isFalse();
        assertThat(browser.findElement(By.id("title")).getText()).isEqualTo("Browser cup");

        browser.findElement(By.cssSelector("th[data-key=name]")).click();
        assertThat(names()).containsExactly(SCRIPT_NAME, "ann", "bob");
        browser.findElement(By.cssSelector("th[data-key=name]")).click();
        assertThat(names()).containsExactly("bob", "ann", SCRIPT_NAME);
        browser.findElement(By.cssSelector("th[data-key=rank]")).click();
        assertThat(names().getFirst()).isEqualTo(SCRIPT_NAME);

        // a new best arrives while the page is open: it appears at the top without a reload
        submit("cy", 0.95, 1);
        waitUpTo(10).until(d -> names().size() == 4);
        assertThat(names().getFirst()).isEqualTo("cy");

        // ann's history: two submissions, two points on the chart, the notes listed
        waitUpTo(10).ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
            d.findElements(By.cssSelector("#board tbody td.name button")).stream().filter(b -> b.getText().equals("ann")).findFirst().orElseThrow().click();
            return true;
        });
        waitUpTo(10).until(d -> d.findElements(By.cssSelector("#history-chart circle")).size() == 2);
        assertThat(browser.findElement(By.id("history-title")).getText()).isEqualTo("History of ann");
        assertThat(texts("#history-list li")).isNotEmpty().allSatisfy(t -> assertThat(t).contains(String.format(java.util.Locale.ROOT, "%.2f%%", 100 * store.rows(c, "ann").getFirst().publicScore())));

        // on a phone-sized window the configuration column is hidden, the score stays
        browser.manage().window().setSize(new Dimension(375, 740));
        waitUpTo(5).until(d -> !d.findElement(By.cssSelector("#board tbody td.config")).isDisplayed());
        assertThat(browser.findElement(By.cssSelector("#board tbody td.score")).isDisplayed()).isTrue();
        assertThat(alertShown()).isFalse();
    }

    private static boolean alertShown() {
        try {
            browser.switchTo().alert();
            return true;
        } catch (NoAlertPresentException e) {
            return false;
        }
    }
}
