package dev.udriver.processor.validate;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.udriver.processor.Compilations.compile;
import static dev.udriver.processor.Compilations.source;
import static dev.udriver.processor.DriverMethodSubject.assertThatMethod;

import com.google.testing.compile.Compilation;
import dev.udriver.processor.diag.RuleId;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

class DriverStructureValidatorTest {

  @Test
  void rejectsTwoRolesOnOneMethod() {
    assertThatMethod(
            "@OnInterruptIsr @OnInterruptWorkItem boolean both(Interrupt interrupt) { return true; }")
        .hasError(
            RuleId.ONE_ROLE_PER_METHOD,
            "method 'both' is annotated both @OnInterruptIsr and @OnInterruptWorkItem: a method"
                + " serves one role");
  }

  @Test
  void rejectsSecondIsrForOneName() {
    assertThatMethod("@OnInterruptIsr(\"rx\") boolean second(Interrupt interrupt) { return true; }")
        .withMembers("@OnInterruptIsr(\"rx\") boolean first(Interrupt interrupt) { return true; }")
        .hasError(
            RuleId.ONE_ISR_PER_INTERRUPT,
            "interrupt 'rx' has two ISRs, 'first' and 'second': every interrupt has exactly one ISR");
  }

  @Test
  void rejectsSecondWorkItemForOneName() {
    assertThatMethod("@OnInterruptWorkItem void second() {}")
        .withMembers(
            "@OnInterruptIsr boolean onIrq(Interrupt interrupt) { return true; }",
            "@OnInterruptWorkItem void first() {}")
        .hasError(
            RuleId.ONE_CALLBACK_PER_ROLE,
            "the unnamed interrupt has two work item callbacks, 'first' and 'second': declare at"
                + " most one");
  }

  @Test
  void rejectsWorkItemWithoutIsr() {
    assertThatMethod("@OnInterruptWorkItem(\"tx\") void drainTx() {}")
        .withMembers("@OnInterruptIsr(\"rx\") boolean onRx(Interrupt interrupt) { return true; }")
        .hasError(
            RuleId.MISSING_ISR,
            "work item 'drainTx' serves interrupt 'tx', which has no ISR: declare an"
                + " @OnInterruptIsr(\"tx\") method");
  }

  @Test
  void rejectsEnableWithoutIsrOnUnnamedInterrupt() {
    JavaFileObject driver =
        source(
            "Uart",
            "class Uart {",
            "  @OnInterruptEnable void on(Interrupt interrupt) {}",
            "  @OnInterruptDisable void off(Interrupt interrupt) {}",
            "}");
    Compilation compilation = compile(driver);
    assertThat(compilation)
        .hadErrorContaining(
            "[udriver:MISSING_ISR] enable 'on' serves the unnamed interrupt, which has no ISR:"
                + " declare an @OnInterruptIsr method")
        .inFile(driver)
        .onLineContaining("void on(");
    assertThat(compilation)
        .hadErrorContaining("[udriver:MISSING_ISR] disable 'off'")
        .inFile(driver)
        .onLineContaining("void off(");
  }

  @Test
  void rejectsEnableWithoutDisable() {
    assertThatMethod("@OnInterruptEnable(\"rx\") void enableRx(Interrupt interrupt) {}")
        .withMembers("@OnInterruptIsr(\"rx\") boolean onRx(Interrupt interrupt) { return true; }")
        .hasError(
            RuleId.ENABLE_DISABLE_PAIR,
            "enable 'enableRx' of interrupt 'rx' has no matching disable: declare an"
                + " @OnInterruptDisable(\"rx\") method too, enable and disable come in pairs");
  }

  @Test
  void rejectsDisableWithoutEnable() {
    assertThatMethod("@OnInterruptDisable void off(Interrupt interrupt) {}")
        .withMembers("@OnInterruptIsr boolean onIrq(Interrupt interrupt) { return true; }")
        .hasError(
            RuleId.ENABLE_DISABLE_PAIR,
            "disable 'off' of the unnamed interrupt has no matching enable: declare an"
                + " @OnInterruptEnable method too");
  }

  @Test
  void rejectsUnnamedInterruptBesideNamedOnes() {
    assertThatMethod("@OnInterruptIsr boolean onIrq(Interrupt interrupt) { return true; }")
        .withMembers(
            "@OnInterruptIsr(\"rx\") boolean onRx(Interrupt interrupt) { return true; }",
            "@OnInterruptIsr(\"tx\") boolean onTx(Interrupt interrupt) { return true; }")
        .hasError(
            RuleId.UNNAMED_INTERRUPT_AMBIGUOUS,
            "ISR 'onIrq' names no interrupt, but driver 'Uart' declares named interrupts (rx, tx):"
                + " name this one too, e.g. @OnInterruptIsr(\"...\")");
  }

  @Test
  void acceptsCompleteInterruptsAndSeveralNames() {
    assertThatMethod("@OnInterruptDisable(\"rx\") void disableRx(Interrupt interrupt) {}")
        .withMembers(
            "@OnInterruptIsr(\"rx\") boolean onRx(Interrupt interrupt) { return true; }",
            "@OnInterruptWorkItem(\"rx\") void drainRx() {}",
            "@OnInterruptEnable(\"rx\") void enableRx(Interrupt interrupt) {}",
            "@OnInterruptIsr(\"tx\") boolean onTx(Interrupt interrupt) { return true; }")
        .isAccepted();
  }

  @Test
  void reportsEveryProblemInOnePass() {
    JavaFileObject driver =
        source(
            "Uart",
            "class Uart {",
            "  @OnInterruptIsr(\"rx\") void onRx(Interrupt interrupt) {}",
            "  @OnInterruptWorkItem(\"tx\") void drainTx() {}",
            "  @OnInterruptEnable(\"rx\") static void enableRx(Interrupt interrupt) {}",
            "}");
    Compilation compilation = compile(driver);
    assertThat(compilation).hadErrorCount(4);
    assertThat(compilation)
        .hadErrorContaining("[udriver:ISR_SIGNATURE]")
        .inFile(driver)
        .onLineContaining("onRx");
    assertThat(compilation)
        .hadErrorContaining("[udriver:MISSING_ISR]")
        .inFile(driver)
        .onLineContaining("drainTx");
    assertThat(compilation)
        .hadErrorContaining("[udriver:CALLBACK_MODIFIERS]")
        .inFile(driver)
        .onLineContaining("enableRx");
    assertThat(compilation)
        .hadErrorContaining("[udriver:ENABLE_DISABLE_PAIR]")
        .inFile(driver)
        .onLineContaining("enableRx");
  }
}
