package dev.udriver.processor.rules.body;

import dev.udriver.processor.diag.Message;
import dev.udriver.processor.rules.BodyRule;
import dev.udriver.processor.rules.analysis.CallSite;
import dev.udriver.processor.rules.analysis.DriverAnalysis;
import dev.udriver.processor.rules.analysis.InterruptApi;
import dev.udriver.processor.validate.ValidationReport;
import java.util.Optional;

/**
 * A rule for an interrupt method that only code running in the ISR may call: the ISR itself or
 * private helpers that only the ISR calls. Reports calls from other callbacks, from methods any
 * thread may call and from lambdas or local classes.
 */
abstract class IsrOnlyCall extends BodyRule {

  /** The call the rule restricts. */
  abstract InterruptApi.Op op();

  /** The finding for a call made from {@code where}. */
  abstract Message outsideIsr(String where);

  @Override
  public final void check(DriverAnalysis analysis, ValidationReport.Builder report) {
    analysis
        .facts()
        .forEach(
            (method, facts) -> {
              for (CallSite call : facts.calls()) {
                if (call.op().orElse(null) != op()) {
                  continue;
                }
                Optional<DriverAnalysis.Root> other = Optional.empty();
                for (DriverAnalysis.Root r : analysis.roots(method)) {
                  if (r.context() != DriverAnalysis.Context.ISR) {
                    other = Optional.of(r);
                    break;
                  }
                }
                String where = null;
                if (call.deferred()) {
                  where = "a lambda or local class in '" + analysis.name(method) + "', which may run on any thread";
                } else if (other.isPresent()) {
                  DriverAnalysis.Root root = other.get();
                  where =
                      root.context() == DriverAnalysis.Context.ARBITRARY
                          ? "'" + analysis.name(method) + "', which any thread may run"
                              + (root.entry().equals(method)
                                  ? ""
                                  : " (through '" + analysis.name(root.entry()) + "')")
                          : Describe.method(analysis, root.entry());
                }
                if (where != null) {
                  report.addAt(outsideIsr(where), method, call.tree(), analysis.unit());
                }
              }
            });
  }
}
