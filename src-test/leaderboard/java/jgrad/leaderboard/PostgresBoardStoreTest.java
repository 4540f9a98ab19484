package jgrad.leaderboard;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * The storage contract on a real PostgreSQL server: the URL in JGRAD_TEST_POSTGRES_URL (.ci/run
 * starts Debian's postgresql and sets it; without it these tests are skipped, saying so). Each test
 * makes competitions of its own names, so the database may be reused.
 */
class PostgresBoardStoreTest extends BoardStoreContract {
    static final String URL = System.getenv("JGRAD_TEST_POSTGRES_URL");

    @BeforeAll
    static void needsAServer() {
        Assumptions.assumeTrue(URL != null, "JGRAD_TEST_POSTGRES_URL is not set (.ci/run sets it after starting PostgreSQL)");
    }

    @Override
    BoardStore open() {
        return BoardStore.open(URL, clock);
    }
}
