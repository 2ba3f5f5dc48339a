package dev.udriver.processor.model;

import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/**
 * The types a callback parameter may have. Runtime types are matched by qualified name: the
 * processor runs in javac 17 and cannot load the runtime, which needs Java 25.
 */
public enum ParameterKind {
  INTERRUPT("dev.udriver.runtime.Interrupt", "Interrupt"),
  MESSAGE_ID(null, "int"),
  DEVICE("dev.udriver.runtime.Device", "Device");

  private final String qualifiedName;
  private final String sourceName;

  ParameterKind(String qualifiedName, String sourceName) {
    this.qualifiedName = qualifiedName;
    this.sourceName = sourceName;
  }

  /** The type as a user writes it in a signature, e.g. {@code Interrupt}. */
  public String sourceName() {
    return sourceName;
  }

  /** Whether a declared parameter type is this kind. */
  public boolean matches(TypeMirror type) {
    if (qualifiedName == null) {
      return type.getKind() == TypeKind.INT;
    }
    return type.getKind() == TypeKind.DECLARED
        && ((TypeElement) ((DeclaredType) type).asElement())
            .getQualifiedName()
            .contentEquals(qualifiedName);
  }
}
