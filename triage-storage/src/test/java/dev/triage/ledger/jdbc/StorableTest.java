package dev.triage.ledger.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StorableTest {

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void nulAndUnpairedSurrogatesBecomeReplacementCharactersAndPairsSurvive() {
        assertThat(Storable.clean("evil\u0000user")).isEqualTo("evil\uFFFDuser");
        assertThat(Storable.clean("\uDC00x\uD800")).isEqualTo("\uFFFDx\uFFFD");
        assertThat(Storable.clean("grin \uD83D\uDE00 ok")).isEqualTo("grin \uD83D\uDE00 ok");
        String plain = "nothing to do";
        assertThat(Storable.clean(plain)).isSameAs(plain);
    }

    @Test
    void aValueOverItsBoundIsCutToTheBoundInBytesWithAHashOfTheWholeValue() {
        String emoji = "\uD83D\uDE00".repeat(1_000); // 4,000 bytes
        String cut = Storable.bounded(emoji, 256);

        assertThat(bytes(cut)).isLessThanOrEqualTo(256);
        assertThat(cut).matches("(\uD83D\uDE00)+\u2026[0-9a-f]{16}"); // never half a surrogate pair
        assertThat(Storable.bounded(cut, 256)).isEqualTo(cut);
        assertThat(Storable.bounded(emoji + "x", 256)).isNotEqualTo(cut).hasSameSizeAs(cut);
    }

    @Test
    void valuesWithinTheBoundAndNullAreKeptAsTheyAre() {
        String exact = "é".repeat(128); // 256 bytes
        assertThat(Storable.bounded(exact, 256)).isSameAs(exact);
        assertThat(Storable.bounded(null, 256)).isNull();
    }
}
