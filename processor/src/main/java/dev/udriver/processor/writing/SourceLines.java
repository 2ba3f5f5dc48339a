package dev.udriver.processor.writing;

import java.util.Collection;
import java.util.Map;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/**
 * Where a driver is declared in its source, for the debug attributes of the class form: a stack
 * trace through the wiring then names the driver's file and lines, as javac's classes would.
 * Best effort: what is unknown is left out, never guessed.
 */
public interface SourceLines {

  /** Knows nothing: the class files get no source file name and no line numbers. */
  SourceLines NONE = (driver, methods) -> DriverLines.UNKNOWN;

  /** Where {@code driver} and those of its own {@code methods} the source shows are declared. */
  DriverLines of(TypeElement driver, Collection<ExecutableElement> methods);

  /**
   * Where one driver is declared. A line counts from 1; a method's is the one its return type
   * starts on (past its annotations), the type's the one its declaration starts on; 0 is unknown.
   *
   * @param sourceFile the simple name of the file that declares the driver's top-level type, e.g.
   *     {@code Uart.java}, as javac writes it in the SourceFile attribute; null when unknown
   * @param typeLine the line of the driver's type declaration
   * @param methodLines the line of each method asked for that was found
   */
  record DriverLines(String sourceFile, int typeLine, Map<ExecutableElement, Integer> methodLines) {

    /** Nothing known. */
    public static final DriverLines UNKNOWN = new DriverLines(null, 0, Map.of());

    public DriverLines {
      methodLines = Map.copyOf(methodLines);
    }

    /** The line of {@code method}'s declaration; 0 when unknown. */
    public int line(ExecutableElement method) {
      return methodLines.getOrDefault(method, 0);
    }
  }
}
