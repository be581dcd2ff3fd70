/** Request analysis: a {@link dev.triage.analysis.TaskProfile} per request, from hints and cheap inference. */
package dev.triage.analysis;
