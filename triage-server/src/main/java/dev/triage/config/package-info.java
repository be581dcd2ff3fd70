/**
 * Triage's YAML configuration: {@link dev.triage.config.ConfigLoader} reads a file into a
 * {@link dev.triage.config.TriageConfig} (plain records) or throws a
 * {@link dev.triage.config.ConfigException} listing every problem with its file, line and key.
 */
package dev.triage.config;
