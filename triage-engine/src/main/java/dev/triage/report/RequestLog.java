package dev.triage.report;

/** The request log: one line per request started in a period, newest first, a page at a time. */
public interface RequestLog {

    /** The page of requests that {@code query} asks for; its {@link RequestPage#next()} continues it. */
    RequestPage requests(RequestQuery query);
}
