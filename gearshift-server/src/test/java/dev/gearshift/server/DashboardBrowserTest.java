package dev.gearshift.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearshift.postgres.testing.PostgresExtension;
import dev.gearshift.postgres.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard end to end, in a real headless Chromium: an operator opens it, a pipeline starts a fleet run, the
 * page follows the run live and ends with the failed tenant in the failed colour; a click shows that tenant's
 * history, and the attribute filter narrows the grid. A screenshot stays in target/ as the test's artifact.
 */
@ExtendWith(PostgresExtension.class)
class DashboardBrowserTest {

    private static final String FAILED_COLOUR = "rgb(198, 40, 40)";
    private static final String CURRENT_COLOUR = "rgb(46, 125, 50)";

    @TempDir
    Path dir;

    @Test
    void anOperatorWatchesARunAndSeesTheFailedTenant(TestDatabase db) throws Exception {
        Path migrations = dir.resolve("migrations");
        // slow enough that the page sees the run while it is running
        Service.write(migrations.resolve("core/1_create_items.up.sql"), "SELECT pg_sleep(0.6);\nCREATE TABLE items (id int);");
        Service.write(migrations.resolve("auth/1_create_users.up.sql"), "CREATE TABLE users (id int);");
        String prefix = db.newSchema() + "_";
        StringBuilder tenants = new StringBuilder("tenants:\n");
        String[] plans = {"free", "pro", "free", "pro"};
        for (int i = 1; i <= 4; i++) {
            db.execute("CREATE SCHEMA " + prefix + i);
            tenants.append("  - { name: acme-").append(i).append(", schema: ").append(prefix).append(i)
                    .append(", url: \"").append(db.url()).append("\", plan: ").append(plans[i - 1]).append(" }\n");
        }
        db.execute("CREATE TABLE " + prefix + "2.users (id int)");  // acme-2's auth migration will fail
        Service.write(dir.resolve("tenants.yaml"), tenants.toString());

        try (Service service = Service.startWith(db, dir, "fleets:\n  saas: { file: tenants.yaml, parallel: 1 }\n");
             Browser browser = Browser.start()) {
            browser.open(service.uri("/").toString() + "#token=" + Service.READ_TOKEN);
            browser.waitUntil("the grid", "return document.getElementById('grid').dataset.loaded === 'true'",
                    Duration.ofSeconds(20));
            assertThat(browser.script("return document.querySelectorAll('#grid tr[data-tenant]').length").asInt())
                    .isEqualTo(4);
            assertThat(browser.script("return location.hash").asText()).isEmpty();  // the token left the URL

            Service.Response started = service.post("/runs", Service.WRITE_TOKEN, Map.of("fleet", "saas",
                    "command", "up", "max_failures", 0));
            assertThat(started.status()).as(started.body()).isEqualTo(202);
            browser.click(browser.element("#refresh"));
            browser.waitUntil("the run in progress", "return document.getElementById('run-state').dataset.state"
                    + " === 'running' && document.querySelector('td.cell.state-running') !== null",
                    Duration.ofSeconds(20));
            browser.waitUntil("the end of the run", "return document.getElementById('run-state').dataset.state"
                    + " === 'finished'", Duration.ofSeconds(60));
            String failedCell = "td.cell[data-tenant='acme-2'][data-module='auth']";
            browser.waitUntil("the failed tenant", "return document.querySelector(\"" + failedCell
                    + "\").dataset.state === 'failed'", Duration.ofSeconds(20));

            assertThat(browser.computedStyle(failedCell, "background-color")).isEqualTo(FAILED_COLOUR);
            assertThat(browser.computedStyle("td.cell[data-tenant='acme-1'][data-module='auth']", "background-color"))
                    .isEqualTo(CURRENT_COLOUR);
            assertThat(browser.script("return document.getElementById('run-counts').textContent").asText())
                    .startsWith("4 of 4 finished: 3 done, 1 failed");
            assertThat(browser.script("return document.getElementById('versions').textContent").asText())
                    .contains("v1: 3", "none: 1");
            browser.screenshot(Path.of(System.getProperty("basedir", "."), "target", "dashboard-e2e.png"));

            browser.script("document.querySelector(\"#grid tr[data-tenant='acme-2'] td.tenant\").click()");
            browser.waitUntil("acme-2's history", "return document.getElementById('history').dataset.tenant"
                    + " === 'acme-2' && !document.getElementById('history-panel').hidden", Duration.ofSeconds(20));
            assertThat(browser.script("return document.getElementById('history').textContent").asText())
                    .contains("create_users", "rolled-back");

            browser.script("const s = document.getElementById('filter'); s.value = 'plan=free';"
                    + " s.dispatchEvent(new Event('change'));");
            browser.waitUntil("only the free tenants", "return [...document.querySelectorAll('#grid tr[data-tenant]')]"
                    + ".map(r => r.dataset.tenant).join() === 'acme-1,acme-3'", Duration.ofSeconds(20));
        }
    }
}
