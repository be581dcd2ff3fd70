package dev.triage.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triage.chat.Money;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ReportJsonTest {

    final ReportEngineTest ledger = new ReportEngineTest();

    Report report() {
        return new ReportEngine(ledger.source, ReportEngineTest.CATALOG, ReportEngineTest.ROUTES, ledger.spend, KeySpend.NONE,
                Clock.fixed(ReportEngineTest.NOW, ZoneOffset.UTC), ReportSettings.defaults()).report(ReportEngineTest.PERIOD);
    }

    @Test
    void hasTheDesignContractsFieldsWithAmountsAsPlainDecimals() throws Exception {
        String text = new String(ReportJson.bytes(report()), StandardCharsets.UTF_8);
        JsonNode json = new ObjectMapper().readTree(text);

        assertThat(json.fieldNames()).toIterable().contains("total_cost_usd", "requests", "avg_cost_per_request_usd",
                "by_model", "by_route", "by_task", "by_tier", "by_user", "daily", "budgets", "quality",
                "routing_efficiency", "prompt_cache", "recommendations");
        assertThat(text).contains("\"total_cost_usd\" : 0.935", "\"total_cost_picousd\" : 935000000000",
                "\"avg_cost_per_request_usd\" : 0.008130434783");
        assertThat(json.at("/by_model/0")).hasToString(
                "{\"name\":\"strong\",\"requests\":28,\"attempts\":30,\"cost_usd\":0.75,\"share_pct\":80.21}");
        assertThat(json.at("/by_tier/0/name").isNull()).isTrue();
        assertThat(json.at("/daily/0/by_model")).hasToString("{\"cheap\":0.14,\"strong\":0.5}");
        assertThat(json.at("/budgets/1")).hasToString("{\"route\":\"tier\",\"tier\":\"low\",\"day\":\"2026-03-02\","
                + "\"zone\":\"UTC\",\"spent_usd\":1,\"limit_usd\":null,\"used_pct\":null}");
        assertThat(json.at("/quality/overall")).hasToString("{\"mean\":0.8633,\"count\":60}");
        assertThat(json.at("/routing_efficiency/efficiency").decimalValue()).isEqualByComparingTo("2.1508");
        assertThat(json.at("/routing_efficiency/rating").asText()).isEqualTo("good");
        assertThat(json.at("/routing_efficiency/definition").asText()).startsWith("quality-weighted strong-only cost / actual cost");
        assertThat(json.at("/recommendations/0/kind").asText()).isEqualTo("saving");
        assertThat(json.at("/recommendations/0/est_monthly_savings_usd").decimalValue()).isEqualByComparingTo("11.04");
        assertThat(json.at("/recommendations/0/evidence/alternative").asText()).isEqualTo("cheap");
    }

    @Test
    void deadLettersAreAlwaysThereWithTheirExactCost() throws Exception {
        JsonNode none = new ObjectMapper().readTree(ReportJson.bytes(report()));
        assertThat(none.get("dead_letters")).hasToString("{\"entries\":0,\"cost_usd\":0,\"cost_picousd\":0,\"texts\":0}");

        ledger.source.deadLetters = new DeadLetterRow(2, 0, Money.ofUsd("0.000073"));
        String text = new String(ReportJson.bytes(report()), StandardCharsets.UTF_8);

        assertThat(text).contains("\"dead_letters\" : {\n    \"entries\" : 2,\n    \"cost_usd\" : 0.000073,\n"
                + "    \"cost_picousd\" : 73000000,\n    \"texts\" : 0\n  }");
    }

    @Test
    void aPicodollarIsWrittenWithoutAnExponent() {
        ledger.source.usage.clear();
        ledger.source.usage.add(ReportEngineTest.row(ReportEngineTest.D1, "casc", "cheap", null, null, 1, 1, 0,
                "0.000000000001", ReportEngineTest.tokens(1, 0), 1, 0, ReportEngineTest.tokens(1, 0)));

        String text = new String(ReportJson.bytes(report()), StandardCharsets.UTF_8);

        assertThat(report().totals().cost()).isEqualTo(new Money(1));
        assertThat(text).contains("\"total_cost_usd\" : 0.000000000001").doesNotContain("E-");
    }

    @Test
    void promptCachingHasItsExactSavingAndHitRateByModelAndRoute() throws Exception {
        ledger.cachingTraffic();

        // Read with exact decimals, so 50.00 stays 50.00 as written.
        JsonNode json = new ObjectMapper().setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true))
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .readTree(ReportJson.bytes(report()));

        assertThat(json.get("prompt_cache")).hasToString("{\"saved_usd\":0.2715,\"cached_input_tokens\":170000,"
                + "\"cache_write_tokens\":10000,\"input_tokens\":1300000,\"hit_rate_pct\":13.08,\"by_model\":["
                + "{\"name\":\"gpt\",\"input_tokens\":300000,\"cached_input_tokens\":150000,\"cache_write_tokens\":0,"
                + "\"hit_rate_pct\":50.00,\"saved_usd\":0.225},"
                + "{\"name\":\"sonnet\",\"input_tokens\":1000000,\"cached_input_tokens\":20000,\"cache_write_tokens\":10000,"
                + "\"hit_rate_pct\":2.00,\"saved_usd\":0.0465}],\"by_route\":["
                + "{\"name\":\"chat\",\"input_tokens\":300000,\"cached_input_tokens\":150000,\"cache_write_tokens\":0,"
                + "\"hit_rate_pct\":50.00,\"saved_usd\":0.225},"
                + "{\"name\":\"docs\",\"input_tokens\":1000000,\"cached_input_tokens\":20000,\"cache_write_tokens\":10000,"
                + "\"hit_rate_pct\":2.00,\"saved_usd\":0.0465}]}");
        assertThat(json.get("provider_cached_input_pct")).isEqualTo(json.at("/prompt_cache/hit_rate_pct"));
    }

    @Test
    void aNegativeSavingKeepsItsSign() throws Exception {
        ledger.source.usage.clear();
        ledger.source.usage.add(ReportEngineTest.cachedRow("docs", "sonnet", 1, "0.00225", "-0.00000075",
                new dev.triage.chat.Usage(1_000, 0, 0, 1_000, 0, false)));

        String text = new String(ReportJson.bytes(report()), StandardCharsets.UTF_8);

        assertThat(text).contains("\"saved_usd\" : -0.00000075").doesNotContain("E-");
    }

    @Test
    void theContextExperimentHasEachArmsCostPerRequestAndQualityAndNoArmsWithoutOne() throws Exception {
        JsonNode none = new ObjectMapper().readTree(ReportJson.bytes(report()));
        assertThat(none.get("context_experiment")).hasToString("{\"arms\":[]}");

        ledger.experiment();
        JsonNode json = new ObjectMapper().setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true))
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .readTree(ReportJson.bytes(report()));

        assertThat(json.get("context_experiment")).hasToString("{\"arms\":["
                + "{\"arm\":\"compact\",\"requests\":30,\"answered\":29,\"attempts\":42,\"cost_usd\":0.091,"
                + "\"avg_cost_per_request_usd\":0.003033333333,\"input_tokens\":150000,\"output_tokens\":7000,"
                + "\"quality\":{\"mean\":0.8200,\"count\":12}},"
                + "{\"arm\":\"full\",\"requests\":30,\"answered\":30,\"attempts\":30,\"cost_usd\":0.12,"
                + "\"avg_cost_per_request_usd\":0.004,\"input_tokens\":300000,\"output_tokens\":6000,"
                + "\"quality\":{\"mean\":0.8500,\"count\":10}}]}");
    }
}
