package dev.triage.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.util.List;

/**
 * Checks a JSON value against a JSON Schema with an independent validator (networknt's, draft 2020-12 unless the
 * schema's {@code $schema} says otherwise, formats asserted), for tests of answers that must fit a schema.
 */
public final class JsonSchemas {

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));

    private JsonSchemas() {
    }

    /** What is wrong with {@code value} under {@code schema}, one message per violation; empty when it is valid. */
    public static List<String> violations(JsonNode schema, JsonNode value) {
        return REGISTRY.getSchema(schema).validate(value).stream().map(Error::toString).toList();
    }
}
