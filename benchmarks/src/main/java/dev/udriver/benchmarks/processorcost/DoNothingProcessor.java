package dev.udriver.benchmarks.processorcost;

import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;

/**
 * The baseline processor of {@link ProcessorCost}: it claims the udriver annotations and does
 * nothing else, so what javac spends with it is the cost of merely having a processor (discovery,
 * the processing rounds, re-entering the trees), without any checking or generating. It depends on
 * the JDK only, so {@link ProcessorCost} can copy its class file into a processor path of its own.
 */
@SupportedAnnotationTypes({
  "dev.udriver.annotation.OnInterruptIsr",
  "dev.udriver.annotation.OnInterruptWorkItem",
  "dev.udriver.annotation.OnInterruptEnable",
  "dev.udriver.annotation.OnInterruptDisable",
  "dev.udriver.annotation.InterruptPolicy"
})
public final class DoNothingProcessor extends AbstractProcessor {

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    return true;
  }
}
