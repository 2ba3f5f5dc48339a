package dev.udriver.processor.model;

import java.util.List;
import java.util.stream.Collectors;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.VariableElement;

/**
 * One accepted parameter list of a callback role, e.g. {@code (Interrupt interrupt, int
 * messageId)}. Parameter names are those of the runtime's callback interface method, so generated
 * code passes them through by name.
 *
 * @param parameters the parameters in order
 */
public record SignatureShape(List<Parameter> parameters) {

  /**
   * One parameter of a shape.
   *
   * @param kind its type
   * @param name the name the runtime's callback interface gives it
   */
  public record Parameter(ParameterKind kind, String name) {}

  public SignatureShape {
    parameters = List.copyOf(parameters);
  }

  static SignatureShape of(Parameter... parameters) {
    return new SignatureShape(List.of(parameters));
  }

  /** Whether {@code method}'s parameter types are exactly this list. */
  public boolean matches(ExecutableElement method) {
    List<? extends VariableElement> declared = method.getParameters();
    if (declared.size() != parameters.size()) {
      return false;
    }
    for (int i = 0; i < declared.size(); i++) {
      if (!parameters.get(i).kind().matches(declared.get(i).asType())) {
        return false;
      }
    }
    return true;
  }

  /** The names to pass, in order, when calling a method declared with this shape. */
  public List<String> argumentNames() {
    return parameters.stream().map(Parameter::name).collect(Collectors.toList());
  }

  /** The declaration as a user would write it, e.g. {@code boolean onRx(Interrupt interrupt)}. */
  public String render(String returnType, String methodName) {
    return parameters.stream()
        .map(parameter -> parameter.kind().sourceName() + " " + parameter.name())
        .collect(Collectors.joining(", ", returnType + " " + methodName + "(", ")"));
  }
}
