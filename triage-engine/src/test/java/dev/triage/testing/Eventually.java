package dev.triage.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting in tests for what another thread or process does: polls a condition instead of sleeping a guess. */
public final class Eventually {

    private Eventually() {
    }

    /** Polls every 10 ms until {@code condition} holds; fails, saying {@code what} did not happen, after 20 s. */
    public static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
