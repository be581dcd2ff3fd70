package dev.triage.app;

import static dev.triage.app.GatewayHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How the gateway serves the dashboard's files (what the page does with them: {@link DashboardBrowserTest}). */
class DashboardServingTest {

    private final GatewayHarness gw = new GatewayHarness(", api_keys: [team-key-0123456789]", null, "");

    @AfterEach
    void stop() {
        gw.close();
    }

    @Test
    void thePageNeedsNoKeyAndHoldsNoFiguresOrSecrets() {
        HttpResponse<String> page = gw.get("/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type")).hasValue("text/html;charset=utf-8");
        assertThat(page.body()).contains("<script src=\"/dashboard/dashboard.js\" defer></script>")
                .doesNotContain("team-key").doesNotContain("$");
        // The figures themselves stay behind the key.
        assertThat(gw.get("/api/report").statusCode()).isEqualTo(401);
    }

    @Test
    void itsFilesComeWithTheirTypesAPolicyThatAllowsOnlyThisGatewayAndRevalidation() {
        for (String[] file : new String[][] {{"/", "text/html;charset=utf-8"}, {"/dashboard/dashboard.js", "text/javascript;charset=utf-8"},
                {"/dashboard/dashboard.css", "text/css;charset=utf-8"}, {"/dashboard/icon.svg", "image/svg+xml"}}) {
            HttpResponse<String> r = gw.get(file[0]);
            assertThat(r.statusCode()).as(file[0]).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type")).as(file[0]).hasValue(file[1]);
            assertThat(r.headers().firstValue("cache-control")).hasValue("no-cache");
            assertThat(r.headers().firstValue("x-content-type-options")).hasValue("nosniff");
            assertThat(r.headers().firstValue("content-security-policy")).hasValueSatisfying(csp -> assertThat(csp)
                    .contains("default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'")
                    .doesNotContain("unsafe"));
        }
    }

    @Test
    void anUnknownDashboardFileIsA404InOpenAisErrorShape() {
        for (String path : new String[] {"/dashboard/nope.js", "/dashboard/index.html", "/dashboard/..%2Fdashboard.js"}) {
            HttpResponse<String> r = gw.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(json(r.body()).at("/error/code").asText()).isEqualTo("unknown_url");
        }
    }
}
