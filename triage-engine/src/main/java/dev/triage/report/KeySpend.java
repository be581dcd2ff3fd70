package dev.triage.report;

import dev.triage.chat.Money;
import dev.triage.keys.KeyBudgets;
import dev.triage.keys.KeyStore;
import dev.triage.keys.VirtualKey;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

/** The virtual keys a report names, and what each spent in its current budget period. */
public interface KeySpend {

    /** Every key, revoked and expired ones included. */
    List<VirtualKey> keys();

    /** The first UTC day of the key's current budget period. */
    LocalDate periodStart(VirtualKey key);

    /** What the key spent in its current period. */
    Money spent(VirtualKey key);

    /** No virtual keys (a ledger without the key table, or tests). */
    KeySpend NONE = new KeySpend() {
        @Override
        public List<VirtualKey> keys() {
            return List.of();
        }

        @Override
        public LocalDate periodStart(VirtualKey key) {
            throw new IllegalStateException("no keys");
        }

        @Override
        public Money spent(VirtualKey key) {
            throw new IllegalStateException("no keys");
        }
    };

    /** What the gateway's budget store holds: settled spend plus open reservations (what the gateway enforces). */
    static KeySpend of(KeyStore store, KeyBudgets budgets) {
        return new KeySpend() {
            @Override
            public List<VirtualKey> keys() {
                return store.list();
            }

            @Override
            public LocalDate periodStart(VirtualKey key) {
                return budgets.periodStart(key);
            }

            @Override
            public Money spent(VirtualKey key) {
                return budgets.spent(key);
            }
        };
    }

    /** What the ledger recorded for the key since its period began; for reports made away from the gateway. */
    static KeySpend fromLedger(KeyStore store, ReportSource source, Clock clock) {
        return new KeySpend() {
            @Override
            public List<VirtualKey> keys() {
                return store.list();
            }

            @Override
            public LocalDate periodStart(VirtualKey key) {
                return key.period().start(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
            }

            @Override
            public Money spent(VirtualKey key) {
                ReportPeriod since = new ReportPeriod(ReportPeriod.startOf(periodStart(key)), clock.instant().plusMillis(1));
                return source.forKeys(Set.of(key.name())).keys(since).stream()
                        .map(KeyUsage::cost).reduce(Money.ZERO, Money::plus);
            }
        };
    }
}
