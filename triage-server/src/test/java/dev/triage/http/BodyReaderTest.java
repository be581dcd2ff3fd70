package dev.triage.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What a body claims from the {@link BodyBudget}, and when it is refused, unread or unparsed. */
class BodyReaderTest {

    private static InputStream neverRead() {
        return new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("the body was read");
            }
        };
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void structuresAreTheCharactersThatOpenOrSeparateValuesOutsideStrings() {
        assertThat(BodyReader.structures(bytes("{\"a\":[1,2,{\"b\":null}]}"))).isEqualTo(7);
        assertThat(BodyReader.structures(bytes("{\"text\":\"{[,:] and an escaped \\\" {[,:]\"}"))).isEqualTo(2);
        assertThat(BodyReader.structures(bytes("\"\\\\\",[]"))).isEqualTo(2);
    }

    @Test
    void aDeclaredBodyClaimsFiveBytesPerByteBeforeItIsReadAndItsStructuresOnceRead() {
        BodyBudget budget = new BodyBudget(1_000_000);
        BodyReader reader = new BodyReader(budget);
        byte[] body = bytes("{\"model\":\"m\",\"messages\":[]}");
        try (BodyBudget.Claim claim = budget.open()) {
            assertThat(reader.read(new ByteArrayInputStream(body), body.length, 1000, true, claim)).isEqualTo(body);

            assertThat(claim.held()).isEqualTo(5L * body.length + 160L * 5);
            assertThat(budget.claimed()).isEqualTo(claim.held());
        }
        assertThat(budget.claimed()).isZero();
    }

    @Test
    void aBodyTheBudgetCannotTakeNowIs503AndIsReadToItsEndWithoutBeingKept() {
        BodyBudget budget = new BodyBudget(10_000);
        BodyReader reader = new BodyReader(budget);
        ByteArrayInputStream body = new ByteArrayInputStream(new byte[1_000]);
        try (BodyBudget.Claim held = budget.open(); BodyBudget.Claim claim = budget.open()) {
            assertThat(held.grow(6_000)).isTrue();

            ApiError e = catchThrowableOfType(ApiError.class, () -> reader.read(body, 1_000, 2_000, true, claim));

            assertThat(e.status()).isEqualTo(503);
            assertThat(e.code()).isEqualTo("gateway_busy");
            assertThat(e.retryAfter()).hasSeconds(1);
            // Read to its end, so the client that is still writing it can read the 503; the connection stays usable.
            assertThat(body.available()).isZero();
            assertThat(e.closesConnection()).isFalse();
            assertThat(claim.held()).isZero();
        }
    }

    @Test
    void aBodyNotSentYetBecauseTheClientExpects100ContinueIsRefusedUnreadAndTheConnectionClosed() {
        BodyBudget budget = new BodyBudget(10_000);
        try (BodyBudget.Claim held = budget.open(); BodyBudget.Claim claim = budget.open()) {
            assertThat(held.grow(6_000)).isTrue();

            ApiError e = catchThrowableOfType(ApiError.class, () -> new BodyReader(budget).read(neverRead(), 1_000, 2_000, false, claim));

            assertThat(e.status()).isEqualTo(503);
            assertThat(e.closesConnection()).isTrue();
        }
    }

    @Test
    void aDeclaredBodyOverTheLimitIs413AndIsNotRead() {
        BodyBudget budget = new BodyBudget(1_000_000);
        try (BodyBudget.Claim claim = budget.open()) {
            ApiError e = catchThrowableOfType(ApiError.class, () -> new BodyReader(budget).read(neverRead(), 2_001, 2_000, true, claim));

            assertThat(e.status()).isEqualTo(413);
            assertThat(e.code()).isEqualTo("request_too_large");
        }
    }

    @Test
    void aChunkedBodyIsRefusedAtTheFirstByteOverTheLimit() {
        BodyBudget budget = new BodyBudget(1_000_000);
        try (BodyBudget.Claim claim = budget.open()) {
            ApiError e = catchThrowableOfType(ApiError.class,
                    () -> new BodyReader(budget).read(new ByteArrayInputStream(new byte[2_001]), -1, 2_000, true, claim));

            assertThat(e.status()).isEqualTo(413);
            // Claimed as it arrived: the 2,000 bytes within the limit, never the one past it.
            assertThat(claim.held()).isEqualTo(10_000);
        }
    }

    @Test
    void aChunkedBodyWithinTheLimitIsReadWhole() {
        BodyBudget budget = new BodyBudget(100_000_000);
        byte[] body = bytes("[" + "1,".repeat(100_000) + "1]");
        try (BodyBudget.Claim claim = budget.open()) {
            assertThat(new BodyReader(budget).read(new ByteArrayInputStream(body), -1, 1_000_000, true, claim)).isEqualTo(body);
            // Claimed in steps of 64 KiB as it arrived (four for 200,003 bytes), then its structures.
            assertThat(claim.held()).isEqualTo(5L * 4 * 65_536 + 160L * 100_001);
        }
    }

    @Test
    void jsonThatWouldNeedMoreThanTheWholeBudgetIs413() {
        BodyBudget budget = new BodyBudget(100_000);
        byte[] body = bytes("[" + "{},".repeat(999) + "{}]");
        try (BodyBudget.Claim claim = budget.open()) {
            ApiError e = catchThrowableOfType(ApiError.class,
                    () -> new BodyReader(budget).read(new ByteArrayInputStream(body), body.length, 10_000, true, claim));

            assertThat(e.status()).isEqualTo(413);
            assertThat(e.getMessage()).contains("2000 structural characters").contains("server.max_body_heap_bytes");
        }
    }
}
