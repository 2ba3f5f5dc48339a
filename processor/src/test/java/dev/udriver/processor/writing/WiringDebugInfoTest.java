package dev.udriver.processor.writing;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static dev.udriver.processor.Compilations.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.udriver.processor.UdriverProcessor;
import dev.udriver.runtime.DriverWiring;
import dev.udriver.runtime.InterruptConfig;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The debug attributes of the class form: each class names the driver's source file, each method
 * starts with the line of the driver method it calls (an adapter) or of the driver's declaration
 * (everything else), so that stack traces through the wiring point at the driver's source.
 */
class WiringDebugInfoTest {

  private static final String CLASS_FORM = "-A" + UdriverProcessor.WIRING_OPTION + "=class";

  /** Two interrupts, so the adapters are in nested classes; an annotation starts the declaration. */
  private static JavaFileObject throwingUart() {
    return source(
        "Uart",
        "@InterruptPolicy(",
        "    priority = InterruptPriority.HIGH)",
        "class Uart {",
        "  @OnInterruptIsr(\"rx\")",
        "  boolean onRx(Interrupt interrupt) {",
        "    throw new IllegalStateException(\"rx\");",
        "  }",
        "",
        "  @OnInterruptWorkItem(\"rx\")",
        "  void drainRx() {",
        "    throw new IllegalStateException(\"drain\");",
        "  }",
        "",
        "  @OnInterruptIsr(\"tx\") boolean onTx(Interrupt interrupt, int messageId) {",
        "    throw new IllegalStateException(\"tx\");",
        "  }",
        "}");
  }

  private static Compilation compile(JavaFileObject... sources) {
    Compilation compilation =
        javac().withProcessors(new UdriverProcessor()).withOptions(CLASS_FORM).compile(sources);
    assertThat(compilation).succeededWithoutWarnings();
    return compilation;
  }

  /** The 1-based number of the only line of {@code source} that contains {@code fragment}. */
  private static int lineOf(JavaFileObject source, String fragment) throws IOException {
    List<String> lines = source.getCharContent(true).toString().lines().toList();
    int found = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(fragment)) {
        assertEquals(-1, found, "more than one line contains " + fragment);
        found = i + 1;
      }
    }
    assertThat(found).isGreaterThan(0);
    return found;
  }

  @SuppressWarnings("unchecked")
  private static DriverWiring<Object> wiring(CompiledClasses classes, String driverName)
      throws ClassNotFoundException {
    return (DriverWiring<Object>) DriverWiring.forDriverClass(classes.loadClass(driverName));
  }

  /** An instance of a test driver, whose class and constructor are package-private. */
  private static Object newDriver(CompiledClasses classes, String driverName) throws Exception {
    Constructor<?> constructor = classes.loadClass(driverName).getDeclaredConstructor();
    constructor.setAccessible(true);
    return constructor.newInstance();
  }

  /** The first frame of {@code thrown}'s stack trace in class {@code className}. */
  private static StackTraceElement frameIn(Throwable thrown, String className) {
    return Arrays.stream(thrown.getStackTrace())
        .filter(frame -> frame.getClassName().equals(className))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no frame in " + className, thrown));
  }

  private static void assertFrame(
      StackTraceElement frame, String methodName, String fileName, int line) {
    assertEquals(methodName, frame.getMethodName(), frame.toString());
    assertEquals(fileName, frame.getFileName(), frame.toString());
    assertEquals(line, frame.getLineNumber(), frame.toString());
  }

  @Test
  void anIsrThatThrowsShowsTheAdapterAtTheCallbacksDeclaration() throws Exception {
    JavaFileObject uart = throwingUart();
    CompiledClasses classes = new CompiledClasses(compile(uart));
    Object driver = newDriver(classes, "test.Uart");
    List<InterruptConfig> configs = wiring(classes, "test.Uart").interruptConfigs(driver);
    InterruptConfig rx = configs.get(0);
    InterruptConfig tx = configs.get(1);

    IllegalStateException rxThrown =
        assertThrows(IllegalStateException.class, () -> rx.isr().onInterruptIsr(null, 1));
    assertFrame(
        rxThrown.getStackTrace()[1], "onInterruptIsr", "Uart.java", lineOf(uart, "boolean onRx("));
    assertEquals("test.Uart_Wiring$RxCallbacks", rxThrown.getStackTrace()[1].getClassName());

    IllegalStateException drainThrown =
        assertThrows(
            IllegalStateException.class, () -> rx.workItem().onInterruptWorkItem(null, null));
    assertFrame(
        frameIn(drainThrown, "test.Uart_Wiring$RxCallbacks"),
        "onInterruptWorkItem",
        "Uart.java",
        lineOf(uart, "void drainRx("));

    IllegalStateException txThrown =
        assertThrows(IllegalStateException.class, () -> tx.isr().onInterruptIsr(null, 2));
    assertFrame(
        frameIn(txThrown, "test.Uart_Wiring$TxCallbacks"),
        "onInterruptIsr",
        "Uart.java",
        lineOf(uart, "boolean onTx("));
  }

  /** The configuration code carries the line where the driver's declaration starts. */
  @Test
  void aNullDriverShowsTheWiringAtTheDriversDeclaration() throws Exception {
    JavaFileObject uart = throwingUart();
    DriverWiring<Object> wiring = wiring(new CompiledClasses(compile(uart)), "test.Uart");

    NullPointerException thrown =
        assertThrows(NullPointerException.class, () -> wiring.interruptConfigs(null));

    assertFrame(
        frameIn(thrown, "test.Uart_Wiring"),
        "interruptConfigs",
        "Uart.java",
        lineOf(uart, "@InterruptPolicy("));
  }

  /** A nested driver: the file is its top-level type's; one interrupt: the wiring adapts. */
  @Test
  void aNestedDriversWiringNamesTheEnclosingFile() throws Exception {
    JavaFileObject board =
        source(
            "Board",
            "public class Board {",
            "  static class Uart {",
            "    @OnInterruptIsr boolean onIrq(Interrupt interrupt) {",
            "      throw new IllegalStateException(\"irq\");",
            "    }",
            "  }",
            "}");
    CompiledClasses classes = new CompiledClasses(compile(board));
    Object driver = newDriver(classes, "test.Board$Uart");
    InterruptConfig config =
        wiring(classes, "test.Board$Uart").interruptConfigs(driver).get(0);

    IllegalStateException thrown =
        assertThrows(IllegalStateException.class, () -> config.isr().onInterruptIsr(null, 1));

    assertFrame(
        frameIn(thrown, "test.Board_Uart_Wiring"),
        "onInterruptIsr",
        "Board.java",
        lineOf(board, "boolean onIrq("));
  }

  /** Callbacks that overload one name, beside a helper of that name: each adapter its own line. */
  @Test
  void overloadedCallbacksGetTheirOwnLines() throws Exception {
    JavaFileObject button =
        source(
            "Button",
            "class Button {",
            "  void on() {}",
            "  @OnInterruptIsr",
            "  boolean on(Interrupt interrupt) { return true; }",
            "  @OnInterruptEnable",
            "  void on(Interrupt interrupt, Device device) {}",
            "  @OnInterruptDisable void off(Interrupt interrupt) {}",
            "}");
    byte[] wiring = new CompiledClasses(compile(button)).classFiles().get("test.Button_Wiring");

    DebugAttributes debug = DebugAttributes.of(wiring);

    assertEquals("Button.java", debug.sourceFile);
    assertEquals(
        List.of(lineOf(button, "boolean on(")), debug.methodLines.get("onInterruptIsr"));
    assertEquals(
        List.of(lineOf(button, "void on(Interrupt interrupt, Device")),
        debug.methodLines.get("onInterruptEnable"));
    assertEquals(
        Collections.nCopies(debug.methodsNamed.get("<init>"), lineOf(button, "class Button {")),
        debug.methodLines.get("<init>"));
  }

  /**
   * Every class and method of a driver with all four roles, several interrupts and annotations on
   * their own lines: the source file, one line per method (the callback's for an adapter, the
   * class's otherwise), and still no branch and no stack map frame.
   */
  @Test
  void everyMethodStartsWithItsLineAndNoFrameIsAdded() throws Exception {
    JavaFileObject uart = JavaFileObjects.forResource("drivers/com/acme/Uart.java");
    Map<String, byte[]> wiringClasses = new TreeMap<>();
    new CompiledClasses(compile(uart))
        .classFiles()
        .forEach(
            (name, bytes) -> {
              if (name.startsWith("com.acme.Uart_Wiring")) {
                wiringClasses.put(name, bytes);
              }
            });
    // The declaration starts at the class's annotation, the only line that is exactly that.
    int classLine =
        uart.getCharContent(true).toString().lines().toList().indexOf("@InterruptPolicy(") + 1;
    assertThat(classLine).isGreaterThan(0);
    Map<String, Integer> adapterLines =
        Map.of(
            "RxCallbacks.onInterruptIsr", lineOf(uart, "boolean onRx("),
            "RxCallbacks.onInterruptWorkItem", lineOf(uart, "void drainRx("),
            "RxCallbacks.onInterruptEnable", lineOf(uart, "void enableRx("),
            "RxCallbacks.onInterruptDisable", lineOf(uart, "void disableRx("),
            "TxCallbacks.onInterruptIsr", lineOf(uart, "boolean onTx("),
            "TxCallbacks.onInterruptWorkItem", lineOf(uart, "void refillTx("),
            "StatusFifoCallbacks.onInterruptIsr", lineOf(uart, "boolean onStatus("),
            "StatusFifoCallbacks.onInterruptWorkItem", lineOf(uart, "void logStatus("));

    assertThat(wiringClasses.keySet())
        .containsExactly(
            "com.acme.Uart_Wiring",
            "com.acme.Uart_Wiring$RxCallbacks",
            "com.acme.Uart_Wiring$StatusFifoCallbacks",
            "com.acme.Uart_Wiring$TxCallbacks");
    List<String> adaptersSeen = new ArrayList<>();
    wiringClasses.forEach(
        (name, bytes) -> {
          DebugAttributes debug = DebugAttributes.of(bytes);
          assertEquals("Uart.java", debug.sourceFile, name);
          assertEquals(0, debug.frames, name);
          assertEquals(0, debug.jumps, name);
          assertThat(debug.methodLines).isNotEmpty();
          String nested = name.contains("$") ? name.substring(name.indexOf('$') + 1) : "";
          debug.methodLines.forEach(
              (method, lines) -> {
                String key = nested + "." + method;
                int expected = adapterLines.containsKey(key) ? adapterLines.get(key) : classLine;
                if (adapterLines.containsKey(key)) {
                  adaptersSeen.add(key);
                }
                // One entry per method of that name (a bridge or a second constructor included).
                assertEquals(
                    Collections.nCopies(debug.methodsNamed.get(method), expected),
                    lines,
                    name + "." + method);
              });
        });
    assertThat(adaptersSeen).containsExactlyElementsIn(adapterLines.keySet());
  }
}
