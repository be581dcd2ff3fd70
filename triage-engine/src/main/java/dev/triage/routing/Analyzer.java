package dev.triage.routing;

import dev.triage.analysis.Hints;
import dev.triage.analysis.TaskProfile;
import dev.triage.chat.ChatRequest;

/** Turns a request and its hints into a {@link TaskProfile} ({@code TaskAnalyzer::analyze}). */
@FunctionalInterface
public interface Analyzer {
    TaskProfile analyze(ChatRequest request, Hints hints);
}
