package dev.triage.analysis;

/** How hard a request looks. */
public enum Complexity { LOW, MEDIUM, HIGH }
