package dev.udriver.testkit;

import dev.udriver.runtime.sim.Simulation;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.AnnotatedElement;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test a {@link Simulation} parameter and closes it after the test; then fails the test
 * if the verifier found a rule broken, a driver callback threw or the watchdog found one hung
 * (unless the test is annotated {@link AllowFindings}). Deterministic by default; {@link Threaded}
 * on the test or its class selects real dispatcher and worker threads.
 *
 * <pre>{@code
 * @ExtendWith(SimulationExtension.class)
 * class UartDriverTest {
 *   @Test
 *   void echoesWhatItReceives(Simulation sim) { ... }
 * }
 * }</pre>
 */
public final class SimulationExtension implements ParameterResolver, AfterEachCallback {

  /** Runs the test's simulation on real threads instead of the test thread. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target({ElementType.TYPE, ElementType.METHOD})
  public @interface Threaded {}

  /** The test expects verifier findings, contained failures or hung callbacks; they do not fail it. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target({ElementType.TYPE, ElementType.METHOD})
  public @interface AllowFindings {}

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SimulationExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Simulation.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            "simulation",
            key -> annotated(context, Threaded.class) ? Simulation.threaded() : Simulation.deterministic(),
            Simulation.class);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Simulation simulation = context.getStore(NAMESPACE).remove("simulation", Simulation.class);
    if (simulation == null) {
      return;
    }
    try {
      if (!annotated(context, AllowFindings.class) && context.getExecutionException().isEmpty()) {
        simulation.assertClean();
      }
    } finally {
      simulation.close();
    }
  }

  private static boolean annotated(ExtensionContext context, Class<? extends java.lang.annotation.Annotation> type) {
    return present(context.getTestMethod(), type) || present(context.getTestClass(), type);
  }

  private static boolean present(
      Optional<? extends AnnotatedElement> element, Class<? extends java.lang.annotation.Annotation> type) {
    return element.map(e -> e.isAnnotationPresent(type)).orElse(false);
  }
}
