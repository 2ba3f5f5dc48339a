package dev.udriver.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;

/** Compiles test sources with the udriver processor. */
public final class Compilations {

  /** The imports every driver source starts with (lines 3 and 4). */
  static final List<String> DRIVER_HEADER =
      List.of(
          "package test;",
          "",
          "import dev.udriver.annotation.*;",
          "import dev.udriver.runtime.*;",
          "");

  /** The option that asks for the wiring as a Java source instead of the default class files. */
  public static final String SOURCE_FORM = "-A" + UdriverProcessor.WIRING_OPTION + "=source";

  private Compilations() {}

  /** Compiles with the processor's default options: the wiring is written as class files. */
  public static Compilation compile(JavaFileObject... sources) {
    return javac().withProcessors(new UdriverProcessor()).compile(sources);
  }

  /** Compiles with the wiring written as a Java source, for tests that read that source. */
  public static Compilation compileToSource(JavaFileObject... sources) {
    return javac().withProcessors(new UdriverProcessor()).withOptions(SOURCE_FORM).compile(sources);
  }

  /**
   * Asserts that the compilation put the wiring {@code wiringName} (e.g. {@code test.Uart_Wiring})
   * in the class output, which either form does: the class form directly, the source form
   * through javac.
   */
  public static void assertWiringWritten(Compilation compilation, String wiringName) {
    int dot = wiringName.lastIndexOf('.');
    assertThat(compilation)
        .generatedFile(
            StandardLocation.CLASS_OUTPUT,
            dot < 0 ? "" : wiringName.substring(0, dot),
            wiringName.substring(dot + 1) + ".class");
  }

  /**
   * Two drivers whose wirings share a name: {@code test.Board_Uart} and the nested {@code
   * test.Board.Uart} both map to {@code test.Board_Uart_Wiring}; the second (nested) is refused.
   */
  static List<JavaFileObject> driversWithOneWiringName() {
    return List.of(
        source(
            "Board_Uart",
            "class Board_Uart {",
            "  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return true; }",
            "}"),
        source(
            "Board",
            "class Board {",
            "  static class Uart {",
            "    @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return true; }",
            "  }",
            "}"));
  }

  /**
   * A source {@code test.<simpleName>} whose body lines follow {@link #DRIVER_HEADER}: the
   * declaration line comes first, e.g. {@code "class Uart {"}, then members and the closing brace.
   */
  public static JavaFileObject source(String simpleName, String... lines) {
    List<String> all = new ArrayList<>(DRIVER_HEADER);
    all.addAll(List.of(lines));
    return JavaFileObjects.forSourceLines("test." + simpleName, all);
  }
}
