package dev.udriver.processor.writing;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static dev.udriver.processor.Compilations.compileToSource;
import static dev.udriver.processor.Compilations.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.udriver.annotation.AffinityPolicy;
import dev.udriver.annotation.InterruptPriority;
import dev.udriver.annotation.ShareVector;
import dev.udriver.runtime.DriverWiring;
import dev.udriver.runtime.ExtendedPolicy;
import dev.udriver.runtime.InterruptConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** The source form of the wiring ({@code -Audriver.wiring=source}): its text, and what it does. */
class DriverWiringGeneratorTest {

  private static final String DRIVER = "drivers/com/acme/Uart.java";
  private static final String GOLDEN = "goldens/com/acme/Uart_Wiring.java";
  private static final String SINGLE_DRIVER = "drivers/com/acme/Button.java";
  private static final String SINGLE_GOLDEN = "goldens/com/acme/Button_Wiring.java";

  private static Compilation compileUart() {
    Compilation compilation = compileToSource(JavaFileObjects.forResource(DRIVER));
    assertThat(compilation).succeededWithoutWarnings();
    return compilation;
  }

  @Test
  void wiringMatchesGolden() throws IOException {
    assertThat(compileUart())
        .generatedSourceFile("com.acme.Uart_Wiring")
        .contentsAsUtf8String()
        .isEqualTo(resource(GOLDEN));
  }

  private static Compilation compileButton() {
    Compilation compilation = compileToSource(JavaFileObjects.forResource(SINGLE_DRIVER));
    assertThat(compilation).succeededWithoutWarnings();
    return compilation;
  }

  @Test
  void singleInterruptWiringMatchesGolden() throws IOException {
    assertThat(compileButton())
        .generatedSourceFile("com.acme.Button_Wiring")
        .contentsAsUtf8String()
        .isEqualTo(resource(SINGLE_GOLDEN));
  }

  /** One interrupt: the wiring class is its own callbacks; javac writes one class file. */
  @Test
  void singleInterruptWiringIsOneClassThatCallsTheDriver() throws Exception {
    Compilation compilation = compileButton();
    CompiledClasses classes = new CompiledClasses(compilation);
    assertThat(
            classes.classFiles().keySet().stream()
                .filter(name -> name.startsWith("com.acme.Button_Wiring"))
                .collect(Collectors.toList()))
        .containsExactly("com.acme.Button_Wiring");
    byte[] wiringClass = classes.classFiles().get("com.acme.Button_Wiring");
    ConstantPool pool = new ConstantPool(wiringClass);
    assertThat(pool.tags())
        .containsNoneOf(
            ConstantPool.METHOD_HANDLE,
            ConstantPool.METHOD_TYPE,
            ConstantPool.DYNAMIC,
            ConstantPool.INVOKE_DYNAMIC);
    for (String utf8 : pool.utf8()) {
      assertThat(utf8).doesNotContain("java/lang/reflect");
      assertThat(utf8).doesNotContain("java/lang/invoke");
    }

    Class<?> driverType = classes.loadClass("com.acme.Button");
    @SuppressWarnings("unchecked")
    DriverWiring<Object> wiring = (DriverWiring<Object>) DriverWiring.forDriverClass(driverType);
    assertEquals(driverType, wiring.driverType());
    Object driver = driverType.getConstructor().newInstance();
    List<InterruptConfig> configs = wiring.interruptConfigs(driver);
    assertEquals(1, configs.size());
    InterruptConfig press = configs.get(0);
    assertEquals("press", press.name());
    assertEquals(true, press.isr().onInterruptIsr(null, 2));
    press.workItem().onInterruptWorkItem(null, null);
    press.enable().onInterruptEnable(null, null);
    press.disable().onInterruptDisable(null, null);
    assertThat((List<?>) driverType.getField("calls").get(driver))
        .containsExactly("onPress:2", "report", "arm", "disarm")
        .inOrder();
    NullPointerException thrown =
        assertThrows(NullPointerException.class, () -> wiring.interruptConfigs(null));
    assertEquals("driver: pass the Button instance to wire", thrown.getMessage());
  }

  @Test
  void wiringBuildsTheConfiguredInterruptsAndCallsTheDriver() throws Exception {
    CompiledClasses classes = new CompiledClasses(compileUart());
    Class<?> driverType = classes.loadClass("com.acme.Uart");
    @SuppressWarnings("unchecked")
    DriverWiring<Object> wiring = (DriverWiring<Object>) DriverWiring.forDriverClass(driverType);
    Object driver = driverType.getConstructor().newInstance();

    List<InterruptConfig> configs = wiring.interruptConfigs(driver);

    assertThat(configs.stream().map(InterruptConfig::name).collect(Collectors.toList()))
        .containsExactly("rx", "tx", "status-fifo")
        .inOrder();
    InterruptConfig rx = configs.get(0);
    InterruptConfig tx = configs.get(1);
    InterruptConfig status = configs.get(2);
    ExtendedPolicy classPolicy =
        new ExtendedPolicy(AffinityPolicy.SPECIFIED_PROCESSORS, InterruptPriority.HIGH, 0b101L, 0);
    assertEquals(ShareVector.TRUE, rx.shareVector());
    assertEquals("uart", rx.lockGroup());
    assertEquals(classPolicy, rx.policy());
    assertEquals(
        new ExtendedPolicy(AffinityPolicy.MACHINE_DEFAULT, InterruptPriority.LOW, 0L, 1),
        tx.policy());
    assertEquals(true, tx.automaticSerialization());
    assertEquals(null, tx.enable());
    assertEquals(ShareVector.FALSE, status.shareVector());
    assertEquals(classPolicy, status.policy());

    assertEquals(true, rx.isr().onInterruptIsr(null, 0));
    rx.workItem().onInterruptWorkItem(null, null);
    rx.enable().onInterruptEnable(null, null);
    rx.disable().onInterruptDisable(null, null);
    assertEquals(false, tx.isr().onInterruptIsr(null, 3));
    tx.workItem().onInterruptWorkItem(null, null);
    status.isr().onInterruptIsr(null, 0);
    status.workItem().onInterruptWorkItem(null, null);
    assertThat((List<?>) driverType.getField("calls").get(driver))
        .containsExactly(
            "onRx", "drainRx", "enableRx", "disableRx", "onTx:3", "refillTx", "onStatus",
            "logStatus")
        .inOrder();
  }

  @Test
  void wiringRejectsANullDriver() throws Exception {
    CompiledClasses classes = new CompiledClasses(compileUart());
    @SuppressWarnings("unchecked")
    DriverWiring<Object> wiring =
        (DriverWiring<Object>) DriverWiring.forDriverClass(classes.loadClass("com.acme.Uart"));

    NullPointerException thrown =
        assertThrows(NullPointerException.class, () -> wiring.interruptConfigs(null));
    assertEquals("driver: pass the Uart instance to wire", thrown.getMessage());
  }

  @Test
  void wiringUsesNoReflectionMethodHandlesOrLambdas() {
    Compilation compilation = compileUart();
    String wiringSource =
        compilation.generatedSourceFiles().stream()
            .map(DriverWiringGeneratorTest::readUnchecked)
            .filter(text -> text.contains("class Uart_Wiring"))
            .findFirst()
            .orElseThrow();
    for (String forbidden :
        List.of("java.lang.reflect", "java.lang.invoke", "Class.forName", "->", "::")) {
      assertThat(wiringSource).doesNotContain(forbidden);
    }

    Map<String, byte[]> wiringClasses =
        new CompiledClasses(compilation)
            .classFiles().entrySet().stream()
                .filter(entry -> entry.getKey().startsWith("com.acme.Uart_Wiring"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    assertThat(wiringClasses.keySet())
        .containsExactly(
            "com.acme.Uart_Wiring",
            "com.acme.Uart_Wiring$RxCallbacks",
            "com.acme.Uart_Wiring$TxCallbacks",
            "com.acme.Uart_Wiring$StatusFifoCallbacks");
    wiringClasses.forEach(
        (name, bytes) -> {
          ConstantPool pool = new ConstantPool(bytes);
          assertThat(pool.tags())
              .containsNoneOf(
                  ConstantPool.METHOD_HANDLE,
                  ConstantPool.METHOD_TYPE,
                  ConstantPool.DYNAMIC,
                  ConstantPool.INVOKE_DYNAMIC);
          for (String utf8 : pool.utf8()) {
            assertThat(utf8).doesNotContain("java/lang/reflect");
            assertThat(utf8).doesNotContain("java/lang/invoke");
          }
        });
  }

  /** The class-file check above would notice a lambda: it is not vacuous. */
  @Test
  void constantPoolCheckDetectsALambda() {
    Compilation compilation =
        javac()
            .compile(
                JavaFileObjects.forSourceLines(
                    "test.WithLambda",
                    "package test;",
                    "class WithLambda {",
                    "  Runnable task = () -> {};",
                    "}"));
    byte[] classFile = new CompiledClasses(compilation).classFiles().get("test.WithLambda");
    assertThat(new ConstantPool(classFile).tags()).contains(ConstantPool.INVOKE_DYNAMIC);
  }

  @Test
  void nestedDriverGetsFlattenedWiringName() {
    Compilation compilation =
        compileToSource(
            source(
                "Board",
                "public class Board {",
                "  static class Uart {",
                "    @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return true; }",
                "  }",
                "}"));
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation)
        .generatedSourceFile("test.Board_Uart_Wiring")
        .contentsAsUtf8String()
        .contains("public final class Board_Uart_Wiring implements DriverWiring<Board.Uart>");
  }

  @Test
  void onlyNonDefaultSettersAreEmitted() {
    Compilation compilation =
        compileToSource(
            source(
                "Button",
                "class Button {",
                "  @OnInterruptIsr boolean onPress(Interrupt interrupt) { return true; }",
                "}"));
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation)
        .generatedSourceFile("test.Button_Wiring")
        .contentsAsUtf8String()
        .contains("return List.of(\n        InterruptConfig.builder(\"\", callbacks).build());");
  }

  @Test
  void interruptNamesThatClashGetDistinctCallbackClasses() {
    Compilation compilation =
        compileToSource(
            source(
                "Uart",
                "class Uart {",
                "  @OnInterruptIsr(\"rx\") boolean a(Interrupt interrupt) { return true; }",
                "  @OnInterruptIsr(\"Rx\") boolean b(Interrupt interrupt) { return true; }",
                "  @OnInterruptIsr(\"2nd-line\") boolean c(Interrupt interrupt) { return true; }",
                "}"));
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation)
        .generatedSourceFile("test.Uart_Wiring")
        .contentsAsUtf8String()
        .contains(
            "    RxCallbacks rxCallbacks = new RxCallbacks(driver);\n"
                + "    RxCallbacks2 rxCallbacks2 = new RxCallbacks2(driver);\n"
                + "    Interrupt2ndLineCallbacks interrupt2ndLineCallbacks ="
                + " new Interrupt2ndLineCallbacks(driver);\n");
  }

  private static String resource(String name) throws IOException {
    try (InputStream in =
        DriverWiringGeneratorTest.class.getClassLoader().getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String readUnchecked(JavaFileObject file) {
    try {
      return file.getCharContent(true).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
