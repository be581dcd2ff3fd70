package dev.triage.http;

import dev.triage.ledger.CapturedText;
import dev.triage.ledger.Ledger;
import dev.triage.provider.Secrets;
import java.time.Clock;

/**
 * Where the gateway keeps the text of each answered request when {@code storage.capture_text} is on:
 * the ledger, stamped by the clock. The text is redacted of known secrets before it is handed over.
 */
public record TextCapture(Ledger ledger, Clock clock) {

    void keep(String requestId, String route, String model, String prompt, String answer, String finishReason) {
        ledger.recordText(new CapturedText(requestId, route, model, Secrets.redact(prompt),
                Secrets.redact(answer), finishReason, clock.instant()));
    }
}
