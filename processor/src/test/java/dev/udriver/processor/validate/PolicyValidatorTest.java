package dev.udriver.processor.validate;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.udriver.processor.Compilations.compile;
import static dev.udriver.processor.Compilations.compileToSource;
import static dev.udriver.processor.Compilations.source;
import static dev.udriver.processor.DriverMethodSubject.assertThatMethod;

import com.google.testing.compile.Compilation;
import dev.udriver.processor.diag.RuleId;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

class PolicyValidatorTest {

  /** A driver whose ISR carries the given policy annotation, one attribute per line. */
  private static JavaFileObject driverWithIsrPolicy(String... policyLines) {
    String[] lines = new String[policyLines.length + 5];
    lines[0] = "class Uart {";
    lines[1] = "  @InterruptPolicy(";
    System.arraycopy(policyLines, 0, lines, 2, policyLines.length);
    lines[policyLines.length + 2] = "  )";
    lines[policyLines.length + 3] =
        "  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return true; }";
    lines[policyLines.length + 4] = "}";
    return source("Uart", lines);
  }

  private static void assertErrorOnLine(
      JavaFileObject driver, String message, String lineFragment) {
    Compilation compilation = compile(driver);
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorContaining(message).inFile(driver).onLineContaining(lineFragment);
  }

  @Test
  void specifiedProcessorsNeedsProcessors() {
    assertErrorOnLine(
        driverWithIsrPolicy("      policy = AffinityPolicy.SPECIFIED_PROCESSORS"),
        "[udriver:POLICY_PROCESSORS] policy SPECIFIED_PROCESSORS needs the processors to serve"
            + " the interrupt",
        "SPECIFIED_PROCESSORS");
  }

  @Test
  void processorsNeedSpecifiedProcessors() {
    assertErrorOnLine(
        driverWithIsrPolicy(
            "      policy = AffinityPolicy.ONE_CLOSE_PROCESSOR,", "      processors = {1, 2}"),
        "[udriver:POLICY_PROCESSORS] processors are used only with policy ="
            + " AffinityPolicy.SPECIFIED_PROCESSORS, not ONE_CLOSE_PROCESSOR",
        "processors = {1, 2}");
  }

  @Test
  void processorOutOfRange() {
    assertErrorOnLine(
        driverWithIsrPolicy(
            "      policy = AffinityPolicy.SPECIFIED_PROCESSORS,",
            "      processors = {",
            "          1,",
            "          64}"),
        "[udriver:POLICY_PROCESSOR_RANGE] processor 64 is out of range 0..63",
        "64}");
  }

  @Test
  void negativeProcessor() {
    assertErrorOnLine(
        driverWithIsrPolicy(
            "      policy = AffinityPolicy.SPECIFIED_PROCESSORS,", "      processors = -1"),
        "[udriver:POLICY_PROCESSOR_RANGE] processor -1 is out of range 0..63",
        "processors = -1");
  }

  @Test
  void repeatedProcessor() {
    assertErrorOnLine(
        driverWithIsrPolicy(
            "      policy = AffinityPolicy.SPECIFIED_PROCESSORS,",
            "      processors = {3,",
            "          3}"),
        "[udriver:POLICY_PROCESSOR_REPEATED] processor 3 is listed more than once",
        "          3}");
  }

  @Test
  void negativeGroup() {
    assertErrorOnLine(
        driverWithIsrPolicy("      group = -1"),
        "[udriver:POLICY_GROUP] group -1 is out of range 0..65535",
        "group = -1");
  }

  @Test
  void groupAboveRange() {
    assertErrorOnLine(
        driverWithIsrPolicy("      group = 65536"),
        "[udriver:POLICY_GROUP] group 65536 is out of range 0..65535",
        "group = 65536");
  }

  @Test
  void classPolicyAttributesAreCheckedToo() {
    JavaFileObject driver =
        source(
            "Uart",
            "@InterruptPolicy(group = 70000)",
            "class Uart {",
            "  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return true; }",
            "}");
    assertErrorOnLine(driver, "[udriver:POLICY_GROUP] group 70000", "@InterruptPolicy");
  }

  @Test
  void policyOnWorkItem() {
    assertThatMethod("@InterruptPolicy @OnInterruptWorkItem void drain() {}")
        .withMembers("@OnInterruptIsr boolean onIrq(Interrupt interrupt) { return true; }")
        .hasError(
            RuleId.POLICY_ON_NON_ISR,
            "@InterruptPolicy on 'drain' has no effect: it belongs on an @OnInterruptIsr method or"
                + " on the driver class");
  }

  @Test
  void policyOnPlainMethod() {
    assertThatMethod("@InterruptPolicy void helper() {}")
        .withMembers("@OnInterruptIsr boolean onIrq(Interrupt interrupt) { return true; }")
        .hasError(
            RuleId.POLICY_ON_NON_ISR,
            "@InterruptPolicy on 'helper' has no effect");
  }

  @Test
  void policyOnClassWithoutIsr() {
    JavaFileObject helper =
        source("Helper", "@InterruptPolicy", "class Helper {", "  void run() {}", "}");
    assertErrorOnLine(
        helper,
        "[udriver:POLICY_WITHOUT_INTERRUPTS] @InterruptPolicy on 'Helper' has no effect: it"
            + " declares no @OnInterruptIsr method",
        "@InterruptPolicy");
  }

  @Test
  void acceptsValidPolicies() {
    JavaFileObject driver =
        source(
            "Uart",
            "@InterruptPolicy(policy = AffinityPolicy.ALL_PROCESSORS_IN_MACHINE, group = 65535)",
            "class Uart {",
            "  @InterruptPolicy(",
            "      policy = AffinityPolicy.SPECIFIED_PROCESSORS,",
            "      priority = InterruptPriority.HIGH,",
            "      processors = {0, 63})",
            "  @OnInterruptIsr(\"rx\") boolean onRx(Interrupt interrupt) { return true; }",
            "  @OnInterruptIsr(\"tx\") boolean onTx(Interrupt interrupt) { return true; }",
            "}");
    Compilation compilation = compileToSource(driver);
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation)
        .generatedSourceFile("test.Uart_Wiring")
        .contentsAsUtf8String()
        .contains(
            "new ExtendedPolicy(AffinityPolicy.SPECIFIED_PROCESSORS, InterruptPriority.HIGH,"
                + " 0x8000000000000001L, 0)");
  }
}
