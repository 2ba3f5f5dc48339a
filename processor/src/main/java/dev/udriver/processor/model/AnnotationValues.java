package dev.udriver.processor.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;

/** Reads attributes of the udriver annotations from {@link AnnotationMirror}s. */
public final class AnnotationValues {

  /**
   * What javac's {@code getValue()} returns for an attribute whose expression it could not resolve
   * (for example a constant of a class generated later); for an int attribute the type mismatch
   * already shows it, for a String attribute only this text does.
   */
  private static final String JAVAC_UNRESOLVED_VALUE = "<error>";

  private final Elements elements;
  private AnnotationMirror lastAnnotation;
  private Map<? extends ExecutableElement, ? extends AnnotationValue> lastValues;

  public AnnotationValues(Elements elements) {
    this.elements = elements;
  }

  /**
   * The value written in source for {@code attribute}, for pointing a diagnostic at it; empty when
   * the attribute takes its default.
   */
  public static Optional<AnnotationValue> explicitValue(
      AnnotationMirror annotation, String attribute) {
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry :
        annotation.getElementValues().entrySet()) {
      if (entry.getKey().getSimpleName().contentEquals(attribute)) {
        return Optional.of(entry.getValue());
      }
    }
    return Optional.empty();
  }

  /**
   * Whether every attribute value, defaults included, has the Java type its declaration promises.
   * It does not when the source refers to something unresolved, e.g. a constant generated later.
   */
  public boolean isWellFormed(AnnotationMirror annotation) {
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry :
        withDefaults(annotation).entrySet()) {
      if (!isWellFormed(entry.getKey().getReturnType(), entry.getValue())) {
        return false;
      }
    }
    return true;
  }

  private static boolean isWellFormed(TypeMirror declared, AnnotationValue value) {
    Object raw = value.getValue();
    switch (declared.getKind()) {
      case INT:
        return raw instanceof Integer;
      case BOOLEAN:
        return raw instanceof Boolean;
      case ARRAY:
        if (!(raw instanceof List)) {
          return false;
        }
        TypeMirror component = ((ArrayType) declared).getComponentType();
        for (Object element : (List<?>) raw) {
          if (!(element instanceof AnnotationValue
              && isWellFormed(component, (AnnotationValue) element))) {
            return false;
          }
        }
        return true;
      case DECLARED:
        // The udriver annotations declare only String and enum attributes.
        return (raw instanceof String && !JAVAC_UNRESOLVED_VALUE.equals(raw))
            || raw instanceof VariableElement;
      default:
        // No udriver annotation declares an attribute of another type.
        return true;
    }
  }

  /** A String attribute, defaults included. */
  public String string(AnnotationMirror annotation, String attribute) {
    return (String) value(annotation, attribute).getValue();
  }

  /** A boolean attribute, defaults included. */
  public boolean bool(AnnotationMirror annotation, String attribute) {
    return (Boolean) value(annotation, attribute).getValue();
  }

  /** An int attribute, defaults included. */
  public int integer(AnnotationMirror annotation, String attribute) {
    return (Integer) value(annotation, attribute).getValue();
  }

  /** An int[] attribute, defaults included, in source order. */
  public List<Integer> integers(AnnotationMirror annotation, String attribute) {
    List<Integer> result = new ArrayList<>();
    for (Object element : (List<?>) value(annotation, attribute).getValue()) {
      result.add((Integer) ((AnnotationValue) element).getValue());
    }
    return result;
  }

  /** An enum attribute, defaults included, as the processor's own copy of the enum. */
  public <E extends Enum<E>> E enumConstant(
      AnnotationMirror annotation, String attribute, Class<E> enumType) {
    VariableElement constant = (VariableElement) value(annotation, attribute).getValue();
    return Enum.valueOf(enumType, constant.getSimpleName().toString());
  }

  /**
   * Every attribute value of the annotation, defaults included. Javac builds a new map for each
   * call, and the model reads several attributes of one annotation in a row: the last annotation's
   * map is kept.
   */
  private Map<? extends ExecutableElement, ? extends AnnotationValue> withDefaults(
      AnnotationMirror annotation) {
    if (annotation != lastAnnotation) {
      lastValues = elements.getElementValuesWithDefaults(annotation);
      lastAnnotation = annotation;
    }
    return lastValues;
  }

  private AnnotationValue value(AnnotationMirror annotation, String attribute) {
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry :
        withDefaults(annotation).entrySet()) {
      if (entry.getKey().getSimpleName().contentEquals(attribute)) {
        return entry.getValue();
      }
    }
    throw new IllegalArgumentException(
        "@" + annotation.getAnnotationType() + " has no attribute " + attribute);
  }
}
