/** Quality feedback on answered requests: {@code POST /v1/feedback}, read back by reports. */
package dev.triage.feedback;
