/**
 * The response cache's semantic matching: a question is reduced once to a {@link
 * dev.triage.responsecache.SemanticProbe} (its embedding plus the few words the lexical guards need),
 * a {@link dev.triage.responsecache.SemanticMatcher} decides whether a cached probe answers a new one,
 * and a {@link dev.triage.responsecache.SemanticIndex} keeps probes per bucket (tenant, route/model and
 * non-message parameters, chosen by the caller) with expiry and bounds.
 *
 * <p>The rule, {@link dev.triage.responsecache.SemanticSettings}, and how its defaults were calibrated are
 * described in {@code docs-semantic-cache.md}.
 */
package dev.triage.responsecache;
