package dev.udriver.processor.validate;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.udriver.processor.Compilations.assertWiringWritten;
import static dev.udriver.processor.Compilations.compile;
import static dev.udriver.processor.Compilations.source;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

class DriverClassValidatorTest {

  private static final String ISR = "  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return true; }";

  private static void assertErrorOnLine(
      JavaFileObject source, String message, String lineFragment) {
    Compilation compilation = compile(source);
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorContaining(message).inFile(source).onLineContaining(lineFragment);
  }

  @Test
  void rejectsAbstractDriver() {
    assertErrorOnLine(
        source("Uart", "abstract class Uart {", ISR, "}"),
        "[udriver:DRIVER_NOT_INSTANTIABLE] driver 'Uart' must not be abstract: declare the"
            + " callbacks in a concrete class",
        "abstract class Uart");
  }

  @Test
  void rejectsInnerClassDriver() {
    assertErrorOnLine(
        source("Board", "class Board {", "  class Uart {", "  " + ISR, "  }", "}"),
        "[udriver:DRIVER_NOT_INSTANTIABLE] driver 'Uart' must be a static nested class: an inner"
            + " class needs an instance of 'Board'",
        "class Uart");
  }

  @Test
  void rejectsPrivateDriver() {
    assertErrorOnLine(
        source("Board", "class Board {", "  private static class Uart {", "  " + ISR, "  }", "}"),
        "[udriver:DRIVER_NOT_INSTANTIABLE] driver 'Uart' must not be private: its generated"
            + " wiring in the same package refers to it",
        "class Uart");
  }

  @Test
  void rejectsDriverInsidePrivateClass() {
    assertErrorOnLine(
        source(
            "Board",
            "class Board {",
            "  private static class Bus {",
            "    static class Uart {",
            "    " + ISR,
            "    }",
            "  }",
            "}"),
        "[udriver:DRIVER_NOT_INSTANTIABLE] driver 'Uart' must not be enclosed in private class"
            + " 'Bus'",
        "class Uart");
  }

  @Test
  void rejectsCallbacksInInterface() {
    assertErrorOnLine(
        source(
            "Uart",
            "interface Uart {",
            "  @OnInterruptIsr boolean onIrq(Interrupt interrupt);",
            "}"),
        "[udriver:DRIVER_NOT_INSTANTIABLE] ISR 'onIrq' is declared in interface 'Uart': driver"
            + " callbacks belong to a class",
        "onIrq");
  }

  @Test
  void rejectsGenericDriver() {
    assertErrorOnLine(
        source("Uart", "class Uart<T> {", ISR, "}"),
        "[udriver:DRIVER_TYPE_PARAMETERS] driver 'Uart' must not declare type parameters: its"
            + " wiring is looked up by class",
        "class Uart<T>");
  }

  @Test
  void acceptsStaticNestedEnumAndRecordDrivers() {
    JavaFileObject board =
        source(
            "Board",
            "public class Board {",
            "  protected static class Uart {",
            "  " + ISR,
            "  }",
            "  enum Gpio {",
            "    BUTTON;",
            "  " + ISR,
            "  }",
            "  record Timer(int period) {",
            "  " + ISR,
            "  }",
            "}");
    Compilation compilation = compile(board);
    assertThat(compilation).succeededWithoutWarnings();
    assertWiringWritten(compilation, "test.Board_Uart_Wiring");
    assertWiringWritten(compilation, "test.Board_Gpio_Wiring");
    assertWiringWritten(compilation, "test.Board_Timer_Wiring");
  }
}
