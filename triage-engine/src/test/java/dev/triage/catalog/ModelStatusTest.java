package dev.triage.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every bundled model says where it is in its vendor's life cycle, with dates and sources. */
class ModelStatusTest {

    private static final PriceCatalog BUNDLED = PriceCatalog.builtIn();
    private static final LocalDate CATALOG_DATE = LocalDate.of(2026, 12, 6);

    @Test
    void theSeedsRetiredModelsStayInTheCatalogMarkedRetiredAndStillPriced() {
        assertThat(List.of("gemini-2.0-flash", "claude-3.5-sonnet", "claude-3.7-sonnet", "gpt-4.5")).allSatisfy(id -> {
            ModelInfo m = BUNDLED.find(id).orElseThrow();
            assertThat(m.status()).as(id).isInstanceOf(ModelStatus.Retired.class);
            assertThat(m.retired()).as(id).isTrue();
            assertThat(m.price().inputPerMtok()).as(id).isPositive();
        });
        assertThat(BUNDLED.find("gpt-4.5").orElseThrow().status()).isEqualTo(new ModelStatus.Retired(LocalDate.of(2025, 7, 14)));
        assertThat(BUNDLED.find("gemini-2.0-flash").orElseThrow().status().retirementDate()).isEqualTo(LocalDate.of(2026, 6, 1));
    }

    @Test
    void retiredModelsRetiredOnOrBeforeTheCatalogsDate() {
        assertThat(BUNDLED.all().stream().filter(ModelInfo::retired).toList()).allSatisfy(m ->
                assertThat(m.status().retirementDate()).as(m.id()).isBeforeOrEqualTo(CATALOG_DATE));
    }

    @Test
    void everyRetiredOrDeprecatedEntryCitesTheDeprecationPageItsDateComesFrom() throws Exception {
        try (InputStream in = PriceCatalog.class.getResourceAsStream("models.json")) {
            JsonNode models = new ObjectMapper().readTree(in).path("models");
            assertThat(models.size()).isEqualTo(BUNDLED.all().size());
            for (JsonNode m : models) {
                String status = m.path("status").asText();
                assertThat(status).as(m.path("id").asText()).isIn("current", "deprecated", "retired");
                if (!status.equals("current")) {
                    assertThat(m.path("status_source").asText()).as(m.path("id").asText()).startsWith("https://");
                }
            }
        }
    }

    @Test
    void theCurrentFlagshipsOfEachVendorAreCurrent() {
        assertThat(List.of("gemini-3.1-flash-lite", "claude-sonnet-4.6", "claude-opus-4.7", "gpt-5.5", "gpt-5.4", "gpt-5.4-mini"))
                .allSatisfy(id -> assertThat(BUNDLED.find(id).orElseThrow().status()).as(id).isEqualTo(ModelStatus.CURRENT));
    }

    @Test
    void labelsAndDatesReadBackAsWritten() {
        LocalDate d = LocalDate.of(2026, 10, 16);
        assertThat(ModelStatus.of("deprecated", d)).isEqualTo(new ModelStatus.Deprecated(d));
        assertThat(ModelStatus.of("deprecated", d).label()).isEqualTo("deprecated");
        assertThat(ModelStatus.of("retired", d).retirementDate()).isEqualTo(d);
        assertThat(ModelStatus.of("current", null).retirementDate()).isNull();
        assertThatThrownBy(() -> ModelStatus.of("sunset", d)).hasMessageContaining("expected current, deprecated or retired");
        assertThatThrownBy(() -> ModelStatus.of("retired", null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aCatalogEntryWithABadStatusIsRefusedNamingTheModel() throws Exception {
        JsonNode root = new ObjectMapper().readTree("""
                {"models": [{"id": "m", "provider": "p", "input_per_mtok": "1", "output_per_mtok": "1", "status": "retired"}]}""");
        assertThatThrownBy(() -> PriceCatalog.parse(root)).hasMessageContaining("model 'm'").hasMessageContaining("'retired'");
        JsonNode tier = new ObjectMapper().readTree("""
                {"models": [{"id": "t", "provider": "p", "input_per_mtok": "1", "output_per_mtok": "1",
                  "long_context": {"input_per_mtok": "2", "output_per_mtok": "2"}}]}""");
        assertThatThrownBy(() -> PriceCatalog.parse(tier)).hasMessageContaining("model 't'").hasMessageContaining("above_input_tokens");
    }
}
