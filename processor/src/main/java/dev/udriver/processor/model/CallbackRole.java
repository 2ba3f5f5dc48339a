package dev.udriver.processor.model;

import static dev.udriver.processor.model.ParameterKind.DEVICE;
import static dev.udriver.processor.model.ParameterKind.INTERRUPT;
import static dev.udriver.processor.model.ParameterKind.MESSAGE_ID;

import dev.udriver.annotation.OnInterruptDisable;
import dev.udriver.annotation.OnInterruptEnable;
import dev.udriver.annotation.OnInterruptIsr;
import dev.udriver.annotation.OnInterruptWorkItem;
import dev.udriver.processor.diag.RuleId;
import dev.udriver.processor.model.SignatureShape.Parameter;
import java.lang.annotation.Annotation;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeKind;

/**
 * The four callback roles of an interrupt, each with the signature policy the processor enforces
 * (DESIGN.md, "Callback signatures the processor accepts"). The policy is data: validators and the
 * generator read it from here instead of branching on the role.
 */
public enum CallbackRole {
  ISR(
      OnInterruptIsr.class,
      "ISR",
      TypeKind.BOOLEAN,
      false,
      RuleId.ISR_SIGNATURE,
      List.of(
          SignatureShape.of(new Parameter(INTERRUPT, "interrupt")),
          SignatureShape.of(
              new Parameter(INTERRUPT, "interrupt"), new Parameter(MESSAGE_ID, "messageId")))),
  WORK_ITEM(
      OnInterruptWorkItem.class,
      "work item",
      TypeKind.VOID,
      false,
      RuleId.WORK_ITEM_SIGNATURE,
      List.of(
          SignatureShape.of(),
          SignatureShape.of(new Parameter(INTERRUPT, "interrupt")),
          SignatureShape.of(
              new Parameter(INTERRUPT, "interrupt"), new Parameter(DEVICE, "associatedObject")))),
  ENABLE(
      OnInterruptEnable.class,
      "enable",
      TypeKind.VOID,
      true,
      RuleId.ENABLE_SIGNATURE,
      List.of(
          SignatureShape.of(new Parameter(INTERRUPT, "interrupt")),
          SignatureShape.of(
              new Parameter(INTERRUPT, "interrupt"), new Parameter(DEVICE, "device")))),
  DISABLE(
      OnInterruptDisable.class,
      "disable",
      TypeKind.VOID,
      true,
      RuleId.DISABLE_SIGNATURE,
      List.of(
          SignatureShape.of(new Parameter(INTERRUPT, "interrupt")),
          SignatureShape.of(
              new Parameter(INTERRUPT, "interrupt"), new Parameter(DEVICE, "device"))));

  private final Class<? extends Annotation> annotationType;
  private final String displayName;
  private final TypeKind returnKind;
  private final boolean checkedExceptionsAllowed;
  private final RuleId signatureRule;
  private final List<SignatureShape> shapes;

  CallbackRole(
      Class<? extends Annotation> annotationType,
      String displayName,
      TypeKind returnKind,
      boolean checkedExceptionsAllowed,
      RuleId signatureRule,
      List<SignatureShape> shapes) {
    this.annotationType = annotationType;
    this.displayName = displayName;
    this.returnKind = returnKind;
    this.checkedExceptionsAllowed = checkedExceptionsAllowed;
    this.signatureRule = signatureRule;
    this.shapes = shapes;
  }

  /** The role of an annotation, if it is one of the four role annotations. */
  public static Optional<CallbackRole> of(AnnotationMirror annotation) {
    TypeElement type = (TypeElement) annotation.getAnnotationType().asElement();
    for (CallbackRole role : values()) {
      if (type.getQualifiedName().contentEquals(role.annotationName())) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }

  /** The role annotation. */
  public Class<? extends Annotation> annotationType() {
    return annotationType;
  }

  /** The role annotation's qualified name. */
  public String annotationName() {
    return annotationType.getCanonicalName();
  }

  /** The role annotation's simple name, e.g. {@code OnInterruptIsr}. */
  public String annotationSimpleName() {
    return annotationType.getSimpleName();
  }

  /** How messages name the role, e.g. {@code work item}. */
  public String displayName() {
    return displayName;
  }

  /** The required return type: {@code BOOLEAN} or {@code VOID}. */
  public TypeKind returnKind() {
    return returnKind;
  }

  /** The required return type as written in source. */
  public String returnTypeName() {
    return returnKind.name().toLowerCase(Locale.ROOT);
  }

  /** Whether the callback may declare checked exceptions (subclasses of {@link Exception}). */
  public boolean checkedExceptionsAllowed() {
    return checkedExceptionsAllowed;
  }

  /** The rule reported when the return type or parameters match no shape. */
  public RuleId signatureRule() {
    return signatureRule;
  }

  /** The accepted parameter lists, shortest first. */
  public List<SignatureShape> shapes() {
    return shapes;
  }
}
