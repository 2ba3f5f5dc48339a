package dev.udriver.processor.model;

import dev.udriver.annotation.AffinityPolicy;
import dev.udriver.annotation.InterruptPriority;
import java.util.List;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;

/**
 * One {@code @InterruptPolicy} as written, on a driver class or on a method.
 *
 * @param policy the affinity policy
 * @param priority the priority
 * @param processors the processor numbers in source order, unchecked
 * @param group the processor group, unchecked
 * @param annotatedElement the class or method carrying the annotation
 * @param annotation the annotation itself
 */
public record PolicyModel(
    AffinityPolicy policy,
    InterruptPriority priority,
    List<Integer> processors,
    int group,
    Element annotatedElement,
    AnnotationMirror annotation) {

  public PolicyModel {
    processors = List.copyOf(processors);
  }

  /**
   * The {@code KAFFINITY} mask of {@link #processors()}; meaningful once the policy passed
   * validation (every number in 0..63).
   */
  public long processorMask() {
    long mask = 0L;
    for (int processor : processors) {
      mask |= 1L << processor;
    }
    return mask;
  }
}
