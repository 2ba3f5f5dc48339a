package dev.udriver.processor.writing;

import java.util.Optional;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;

/**
 * Where a driver is declared in its source, for the debug attributes of the class form: a stack
 * trace through the wiring then names the driver's file and lines, as javac's classes would.
 * Best effort: what is unknown is left out, never guessed.
 */
public interface SourceLines {

  /** Knows nothing: the class files get no source file name and no line numbers. */
  SourceLines NONE =
      new SourceLines() {
        @Override
        public Optional<String> sourceFileName(TypeElement topLevelType) {
          return Optional.empty();
        }

        @Override
        public int line(Element declaration) {
          return 0;
        }
      };

  /**
   * The simple name of the file that declares {@code topLevelType}, e.g. {@code Uart.java}, as
   * javac writes it in the SourceFile attribute; empty when unknown.
   */
  Optional<String> sourceFileName(TypeElement topLevelType);

  /**
   * The line, from 1, that names {@code declaration} (a type or a method), past its annotations;
   * 0 when unknown.
   */
  int line(Element declaration);
}
