package dev.triage.report;

import dev.triage.chat.Money;
import dev.triage.routing.Router;
import dev.triage.routing.TieredRouteSpec;
import java.time.Clock;
import java.time.LocalDate;

/** Today's spend of a tier of a tiered route, for the report's budget section. */
public interface TierSpend {

    /** Today in the route's budget zone. */
    LocalDate today(TieredRouteSpec route);

    Money spentToday(TieredRouteSpec route, TieredRouteSpec.Tier tier);

    /** What the gateway's budget store holds: settled spend plus open reservations (what routing sees). */
    static TierSpend of(Router router) {
        return new TierSpend() {
            @Override
            public LocalDate today(TieredRouteSpec route) {
                return router.budgets(route).today();
            }

            @Override
            public Money spentToday(TieredRouteSpec route, TieredRouteSpec.Tier tier) {
                return router.budgets(route).spentToday(route.budgetKey(tier));
            }
        };
    }

    /** What the ledger recorded since midnight in the route's zone; for reports made away from the gateway. */
    static TierSpend fromLedger(ReportSource source, Clock clock) {
        return new TierSpend() {
            @Override
            public LocalDate today(TieredRouteSpec route) {
                return LocalDate.ofInstant(clock.instant(), route.zone());
            }

            @Override
            public Money spentToday(TieredRouteSpec route, TieredRouteSpec.Tier tier) {
                LocalDate day = today(route);
                return source.spent(route.name(), tier.name(), new ReportPeriod(day.atStartOfDay(route.zone()).toInstant(),
                        day.plusDays(1).atStartOfDay(route.zone()).toInstant()));
            }
        };
    }
}
