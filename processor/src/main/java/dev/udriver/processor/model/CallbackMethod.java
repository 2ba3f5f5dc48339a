package dev.udriver.processor.model;

import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.ExecutableElement;

/**
 * A driver method in one callback role. A method that carries two role annotations appears once per
 * role, so that each annotation can be checked and reported on its own.
 *
 * @param role the role its annotation gives it
 * @param method the annotated method
 * @param annotation the role annotation
 * @param interruptName the interrupt it serves; {@code ""} for the driver's only interrupt
 * @param shape the accepted parameter list the method matches, if any
 */
public record CallbackMethod(
    CallbackRole role,
    ExecutableElement method,
    AnnotationMirror annotation,
    String interruptName,
    Optional<SignatureShape> shape) {

  /** The method's simple name. */
  public String methodName() {
    return method.getSimpleName().toString();
  }
}
