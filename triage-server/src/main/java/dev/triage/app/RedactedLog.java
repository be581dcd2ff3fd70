package dev.triage.app;

import ch.qos.logback.classic.pattern.ExtendedThrowableProxyConverter;
import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.triage.provider.Secrets;

/**
 * The log's last line of defence for secrets: every message and every stack trace passes through
 * {@link Secrets#redact} on its way out, so a key that reaches a log call by a path nobody redacted
 * (an exception from a driver or an HTTP client that quotes a URL with credentials) is still masked.
 * Wired in {@code logback.xml} as {@code %redactedMsg} and {@code %redactedEx}.
 */
public final class RedactedLog {

    private RedactedLog() {
    }

    /** {@code %redactedMsg}: the formatted message, redacted. */
    public static final class Message extends MessageConverter {
        @Override
        public String convert(ILoggingEvent event) {
            return Secrets.redact(super.convert(event));
        }
    }

    /** {@code %redactedEx}: the stack trace with its messages and causes, redacted. */
    public static final class Stack extends ExtendedThrowableProxyConverter {
        @Override
        public String convert(ILoggingEvent event) {
            return Secrets.redact(super.convert(event));
        }
    }
}
