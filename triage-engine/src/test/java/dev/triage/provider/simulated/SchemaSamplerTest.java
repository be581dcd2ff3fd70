package dev.triage.provider.simulated;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triage.testing.JsonSchemas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The values the simulated provider answers under a JSON Schema pass an independent validator (networknt's,
 * formats asserted), for schemas as clients write them: OpenAI strict schemas, Pydantic's (LangChain
 * {@code with_structured_output}), zod's (Vercel {@code generateObject}), LangChain4j's, and every keyword the
 * sampler reads; each over many seeds.
 */
class SchemaSamplerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] WORDS = "the model considered your request carefully and produced this answer".split(" ");
    private static final int SEEDS = 300;

    static Stream<String> schemas() {
        return Stream.of(
                // OpenAI's function-calling example, strict
                """
                {"type":"object","properties":{"location":{"type":"string","description":"City and country e.g. Bogotá, Colombia"},
                 "unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["location","unit"],"additionalProperties":false}""",
                // every scalar keyword
                """
                {"type":"object","properties":{
                  "name":{"type":"string","minLength":3,"maxLength":12},
                  "age":{"type":"integer","minimum":18,"maximum":99},
                  "score":{"type":"number","minimum":0,"maximum":1},
                  "ratio":{"type":"number","exclusiveMinimum":0,"exclusiveMaximum":0.5},
                  "step":{"type":"number","multipleOf":0.1,"minimum":0.95,"maximum":1.35},
                  "quarter":{"type":"number","multipleOf":0.25},
                  "fives":{"type":"integer","multipleOf":5,"minimum":-12,"exclusiveMaximum":20},
                  "half_step_int":{"type":"integer","multipleOf":1.5},
                  "negative":{"type":"integer","maximum":-1000},
                  "huge":{"type":"integer","minimum":9007199254740993},
                  "active":{"type":"boolean"},
                  "kind":{"const":"person"},
                  "color":{"enum":["red","green",3,null]},
                  "level":{"type":"string","default":"info"},
                  "nothing":{"type":"null"},
                  "either":{"type":["null","integer"]},
                  "anything":{},
                  "inferred_number":{"maximum":5},
                  "inferred_string":{"maxLength":4}
                 },"required":["name","age","score","active","kind"]}""",
                // formats
                """
                {"type":"object","properties":{
                  "day":{"type":"string","format":"date"},"at":{"type":"string","format":"date-time"},
                  "time":{"type":"string","format":"time"},"email":{"type":"string","format":"email"},
                  "site":{"type":"string","format":"uri"},"ref":{"type":"string","format":"uri-reference"},
                  "id":{"type":"string","format":"uuid"},"host":{"type":"string","format":"hostname"},
                  "v4":{"type":"string","format":"ipv4"},"v6":{"type":"string","format":"ipv6"},
                  "took":{"type":"string","format":"duration"},"ptr":{"type":"string","format":"json-pointer"},
                  "re":{"type":"string","format":"regex"}},
                 "required":["day","at","time","email","site","ref","id","host","v4","v6","took","ptr","re"]}""",
                // patterns
                """
                {"type":"object","properties":{
                  "code":{"type":"string","pattern":"^[A-Z]{3}-\\\\d{4}$"},
                  "slug":{"type":"string","pattern":"^(foo|bar)_[a-z0-9]+$"},
                  "phone":{"type":"string","pattern":"^\\\\+?[0-9]{1,3}[ -]?\\\\(?\\\\d{3}\\\\)?[ -]?\\\\d{3}-\\\\d{4}$"},
                  "hex":{"type":"string","pattern":"^#(?:[0-9a-fA-F]{3}){1,2}$"},
                  "not_digits":{"type":"string","pattern":"^[^0-9]{2,5}$"}},
                 "required":["code","slug","phone","hex","not_digits"]}""",
                // arrays
                """
                {"type":"object","properties":{
                  "tags":{"type":"array","items":{"type":"string"},"minItems":2,"maxItems":4},
                  "flags":{"type":"array","items":{"type":"boolean"},"uniqueItems":true,"minItems":2},
                  "sizes":{"type":"array","items":{"enum":["S","M","L"]},"uniqueItems":true,"minItems":3},
                  "none":{"type":"array","items":{"type":"integer"},"maxItems":0},
                  "point":{"type":"array","prefixItems":[{"type":"number"},{"type":"number"}],"items":false},
                  "with_answer":{"type":"array","items":{"type":"integer"},"contains":{"const":42}},
                  "matrix":{"type":"array","items":{"type":"array","items":{"type":"integer","minimum":0,"maximum":9},"minItems":3,"maxItems":3},"minItems":2}},
                 "required":["tags","flags","sizes","none","point","with_answer","matrix"]}""",
                // objects
                """
                {"type":"object","minProperties":4,"additionalProperties":{"type":"integer"},
                 "properties":{"a":{"type":"integer"},"b":{"type":"integer"}},
                 "dependentRequired":{"a":["c"]},
                 "required":["a","undeclared"]}""",
                """
                {"type":"object","maxProperties":2,"properties":{"x":{"type":"string"},"y":{"type":"string"},"z":{"type":"string"}},"required":["z"]}""",
                // Pydantic v2 (LangChain with_structured_output): $defs, nullable anyOf with a null default, titles
                """
                {"$defs":{"Address":{"properties":{"street":{"title":"Street","type":"string"},"zip":{"anyOf":[{"type":"string"},{"type":"null"}],"default":null,"title":"Zip"}},
                   "required":["street"],"title":"Address","type":"object"},
                   "Role":{"enum":["admin","user"],"title":"Role","type":"string"}},
                 "properties":{"name":{"title":"Name","type":"string"},"role":{"$ref":"#/$defs/Role"},
                   "address":{"$ref":"#/$defs/Address","description":"where"},
                   "previous":{"items":{"$ref":"#/$defs/Address"},"title":"Previous","type":"array"},
                   "nickname":{"anyOf":[{"type":"string"},{"type":"null"}],"default":null}},
                 "required":["name","role","address"],"title":"Person","type":"object"}""",
                // zod-to-json-schema (Vercel generateObject): draft-07, additionalProperties false everywhere
                """
                {"$schema":"http://json-schema.org/draft-07/schema#","type":"object","additionalProperties":false,
                 "properties":{"recipe":{"type":"object","additionalProperties":false,"properties":{
                   "name":{"type":"string"},"ingredients":{"type":"array","items":{"type":"object","additionalProperties":false,
                     "properties":{"name":{"type":"string"},"amount":{"type":"string"}},"required":["name","amount"]}},
                   "steps":{"type":"array","items":{"type":"string"}}},"required":["name","ingredients","steps"]}},
                 "required":["recipe"]}""",
                // LangChain4j AiServices: definitions and $ref under draft-07
                """
                {"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{
                   "sentiment":{"$ref":"#/definitions/Sentiment"},"confidence":{"type":"number","minimum":0,"maximum":1}},
                 "required":["sentiment","confidence"],
                 "definitions":{"Sentiment":{"type":"string","enum":["POSITIVE","NEUTRAL","NEGATIVE"]}}}""",
                // draft-04 boolean exclusive bounds
                """
                {"$schema":"http://json-schema.org/draft-04/schema#","type":"object","properties":{
                   "p":{"type":"number","minimum":0,"exclusiveMinimum":true,"maximum":1,"exclusiveMaximum":true},
                   "n":{"type":"integer","minimum":1,"exclusiveMinimum":true,"maximum":3,"exclusiveMaximum":true}},
                 "required":["p","n"]}""",
                // recursion: a tree of itself, and a linked list that requires its own type (nullable)
                """
                {"type":"object","properties":{"label":{"type":"string"},"children":{"type":"array","items":{"$ref":"#"}}},"required":["label","children"]}""",
                """
                {"$defs":{"Node":{"type":"object","properties":{"value":{"type":"integer"},"next":{"anyOf":[{"$ref":"#/$defs/Node"},{"type":"null"}]}},
                   "required":["value","next"],"additionalProperties":false}},"$ref":"#/$defs/Node"}""",
                // combinations
                """
                {"type":"object","properties":{
                   "shape":{"oneOf":[{"type":"object","properties":{"kind":{"const":"circle"},"r":{"type":"number","exclusiveMinimum":0}},"required":["kind","r"],"additionalProperties":false},
                                     {"type":"object","properties":{"kind":{"const":"square"},"side":{"type":"number"}},"required":["kind","side"],"additionalProperties":false}]},
                   "merged":{"allOf":[{"type":"object","properties":{"a":{"type":"integer","minimum":5}},"required":["a"]},
                                      {"properties":{"a":{"maximum":7},"b":{"type":"string"}},"required":["b"]}]},
                   "first_null":{"anyOf":[{"type":"null"},{"type":"integer","minimum":3}]},
                   "numberish":{"type":"number","allOf":[{"type":"integer"},{"minimum":10}]}},
                 "required":["shape","merged","first_null","numberish"]}""",
                // a tool that takes no arguments
                """
                {"type":"object","properties":{}}""");
    }

    @ParameterizedTest
    @MethodSource("schemas")
    void everySampleIsValidAgainstItsSchema(String text) {
        JsonNode schema = json(text);
        Set<JsonNode> distinct = new HashSet<>();
        for (long seed = 0; seed < SEEDS; seed++) {
            JsonNode value = new SchemaSampler(schema, seed, List.of("Paris", "New York"), (int) seed % 3, WORDS).sample();
            assertThat(JsonSchemas.violations(schema, value)).as("seed %d: %s", seed, value).isEmpty();
            distinct.add(value);
        }
        if (!text.contains("\"properties\":{}}")) {
            assertThat(distinct).as("the seed changes the answer").hasSizeGreaterThan(1);
        }
    }

    @Test
    void theValidatorRejectsWhatASchemaForbids() {
        assertThat(JsonSchemas.violations(json("{\"type\":\"string\",\"format\":\"date\"}"), json("\"2024-13-45\""))).isNotEmpty();
        assertThat(JsonSchemas.violations(json("{\"type\":\"string\",\"pattern\":\"^[A-Z]{3}$\"}"), json("\"abc\""))).isNotEmpty();
        assertThat(JsonSchemas.violations(json("{\"type\":\"number\",\"multipleOf\":0.1}"), json("1.05"))).isNotEmpty();
        assertThat(JsonSchemas.violations(json("""
                {"type":"object","properties":{"a":{"type":"integer"}},"required":["a"],"additionalProperties":false}"""),
                json("{\"a\":1,\"b\":2}"))).isNotEmpty();
        assertThat(JsonSchemas.violations(json("""
                {"$defs":{"R":{"enum":["x"]}},"properties":{"r":{"$ref":"#/$defs/R"}}}"""), json("{\"r\":\"y\"}"))).isNotEmpty();
    }

    @Test
    void theSameSeedGivesTheSameValue() {
        schemas().map(SchemaSamplerTest::json).forEach(schema -> {
            JsonNode first = new SchemaSampler(schema, 42, List.of("Paris"), 0, WORDS).sample();
            assertThat(new SchemaSampler(schema, 42, List.of("Paris"), 0, WORDS).sample()).isEqualTo(first);
        });
    }

    @Test
    void freeTextTakesTheNamesThePromptMentions() {
        JsonNode schema = json("""
                {"type":"object","properties":{"origin":{"type":"string"},"destination":{"type":"string"},"notes":{"type":"string"}},
                 "required":["origin","destination","notes"]}""");
        List<String> names = SchemaSampler.names("Book me a flight from New York to \"San Francisco\" next Friday, please.");
        assertThat(names).containsExactly("San Francisco", "New York", "Friday");

        JsonNode value = new SchemaSampler(schema, 7, names, 0, WORDS).sample();
        assertThat(value.get("origin").asText()).isEqualTo("San Francisco");
        assertThat(value.get("destination").asText()).isEqualTo("New York");
        assertThat(value.get("notes").asText().split(" ")).as("a text-like key gets a sentence").hasSizeGreaterThan(4);
        assertThat(new SchemaSampler(schema, 7, names, 1, WORDS).sample().get("origin").asText())
                .as("another choice starts from another name").isEqualTo("New York");
    }

    @Test
    void namesAreCapitalisedWordsThatDoNotOpenASentenceAndQuotedPhrases() {
        assertThat(SchemaSampler.names("Weather in Paris?")).containsExactly("Paris");
        assertThat(SchemaSampler.names("What is the weather like today? I wonder.")).isEmpty();
        assertThat(SchemaSampler.names("Compare Berlin and Rome. Then Madrid.")).containsExactly("Berlin", "Rome", "Madrid");
        assertThat(SchemaSampler.names("I don't know what's on in Oslo")).containsExactly("Oslo");
        assertThat(SchemaSampler.names("Extract: Ada Lovelace, 36, London")).containsExactly("Ada Lovelace", "London");
        assertThat(SchemaSampler.names("New York or Los Angeles?")).containsExactly("New York", "Los Angeles");
        assertThat(SchemaSampler.names("Find Thai food")).containsExactly("Thai");
        assertThat(SchemaSampler.names("search for 'best pizza' near Times Square")).containsExactly("best pizza", "Times Square");
    }

    @Test
    void aPatternSamplerMatchesWhatItKnowsAndGivesUpOnWhatItDoesNot() {
        for (String pattern : List.of("^[A-Z]{3}-\\d{4}$", "^(a|b)+c?$", "x\\.y", "^[^\\s]{3}$", "^\\w+@\\w+\\.com$", "^(?<year>\\d{4})-(?:0[1-9]|1[0-2])$")) {
            String made = new SchemaSampler.PatternSampler(pattern, new java.util.SplittableRandom(1)).sample();
            assertThat(made).as(pattern).isNotNull();
            assertThat(Pattern.compile(pattern).matcher(made).find()).as(pattern + " -> " + made).isTrue();
        }
        assertThat(new SchemaSampler.PatternSampler("^(?=a)\\p{L}$", new java.util.SplittableRandom(1)).sample()).isNull();
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
