package dev.triage.report;

import java.util.List;

/**
 * A page of the request log.
 *
 * @param requests newest first
 * @param next     where the next page starts, or null when this is the last
 */
public record RequestPage(List<RequestSummary> requests, RequestCursor next) {
}
