package dev.udriver.processor.validate;

import static dev.udriver.processor.DriverMethodSubject.assertThatMethod;

import dev.udriver.processor.diag.RuleId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CallbackSignatureValidatorTest {

  private static final String ISR = "@OnInterruptIsr boolean onIsr(Interrupt interrupt) { return true; }";
  private static final String ISR_EXPECTED =
      "ISR 'onRx' must be declared as boolean onRx(Interrupt interrupt) or"
          + " boolean onRx(Interrupt interrupt, int messageId)";
  private static final String WORK_ITEM_EXPECTED =
      "work item 'drain' must be declared as void drain(), void drain(Interrupt interrupt) or"
          + " void drain(Interrupt interrupt, Device associatedObject)";

  @ParameterizedTest
  @ValueSource(
      strings = {
        "@OnInterruptIsr boolean onRx(Interrupt interrupt) { return true; }",
        "@OnInterruptIsr boolean onRx(Interrupt interrupt, int messageId) { return true; }",
        "@OnInterruptIsr public boolean onRx(Interrupt irq) throws IllegalStateException { return true; }",
        "@OnInterruptIsr protected final boolean onRx(Interrupt interrupt) { return true; }",
      })
  void acceptsIsrShapes(String isr) {
    assertThatMethod(isr).isAccepted();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "@OnInterruptIsr void onRx(Interrupt interrupt) {}",
        "@OnInterruptIsr Boolean onRx(Interrupt interrupt) { return true; }",
        "@OnInterruptIsr boolean onRx() { return true; }",
        "@OnInterruptIsr boolean onRx(int messageId, Interrupt interrupt) { return true; }",
        "@OnInterruptIsr boolean onRx(Interrupt interrupt, long messageId) { return true; }",
        "@OnInterruptIsr boolean onRx(Interrupt interrupt, int messageId, Device device) { return true; }",
      })
  void rejectsOtherIsrShapes(String isr) {
    assertThatMethod(isr).hasError(RuleId.ISR_SIGNATURE, ISR_EXPECTED);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "@OnInterruptWorkItem void drain() {}",
        "@OnInterruptWorkItem void drain(Interrupt interrupt) {}",
        "@OnInterruptWorkItem void drain(Interrupt interrupt, Device associatedObject) {}",
      })
  void acceptsWorkItemShapes(String workItem) {
    assertThatMethod(workItem).withMembers(ISR).isAccepted();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "@OnInterruptWorkItem boolean drain() { return true; }",
        "@OnInterruptWorkItem void drain(Device device) {}",
        "@OnInterruptWorkItem void drain(Interrupt interrupt, int messageId) {}",
      })
  void rejectsOtherWorkItemShapes(String workItem) {
    assertThatMethod(workItem)
        .withMembers(ISR)
        .hasError(RuleId.WORK_ITEM_SIGNATURE, WORK_ITEM_EXPECTED);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "@OnInterruptEnable void on(Interrupt interrupt) {}",
        "@OnInterruptEnable void on(Interrupt interrupt, Device device) throws java.io.IOException {}",
      })
  void acceptsEnableShapes(String enable) {
    assertThatMethod(enable)
        .withMembers(ISR, "@OnInterruptDisable void off(Interrupt interrupt) {}")
        .isAccepted();
  }

  @Test
  void rejectsOtherEnableShapes() {
    assertThatMethod("@OnInterruptEnable int on(Interrupt interrupt) { return 0; }")
        .withMembers(ISR, "@OnInterruptDisable void off(Interrupt interrupt) {}")
        .hasError(
            RuleId.ENABLE_SIGNATURE,
            "enable 'on' must be declared as void on(Interrupt interrupt) or"
                + " void on(Interrupt interrupt, Device device)");
  }

  @Test
  void rejectsOtherDisableShapes() {
    assertThatMethod("@OnInterruptDisable void off(Device device, Interrupt interrupt) {}")
        .withMembers(ISR, "@OnInterruptEnable void on(Interrupt interrupt) {}")
        .hasError(
            RuleId.DISABLE_SIGNATURE,
            "disable 'off' must be declared as void off(Interrupt interrupt) or"
                + " void off(Interrupt interrupt, Device device)");
  }

  @Test
  void rejectsStaticCallback() {
    assertThatMethod("@OnInterruptIsr static boolean onRx(Interrupt interrupt) { return true; }")
        .hasError(RuleId.CALLBACK_MODIFIERS, "ISR 'onRx' must be an instance method, not static");
  }

  @Test
  void rejectsPrivateCallback() {
    assertThatMethod("@OnInterruptWorkItem private void drain() {}")
        .withMembers(ISR)
        .hasError(
            RuleId.CALLBACK_MODIFIERS,
            "work item 'drain' must not be private: the generated wiring calls it directly");
  }

  @Test
  void rejectsAbstractCallback() {
    assertThatMethod("@OnInterruptIsr abstract boolean onRx(Interrupt interrupt);")
        .inType("abstract class Uart {")
        .hasError(RuleId.CALLBACK_MODIFIERS, "ISR 'onRx' must not be abstract");
  }

  @Test
  void rejectsTypeParameters() {
    assertThatMethod("@OnInterruptIsr <T> boolean onRx(Interrupt interrupt) { return true; }")
        .hasError(RuleId.CALLBACK_MODIFIERS, "ISR 'onRx' must not declare type parameters");
  }

  @Test
  void rejectsCheckedExceptionFromIsr() {
    assertThatMethod(
            "@OnInterruptIsr boolean onRx(Interrupt interrupt) throws java.io.IOException {"
                + " return true; }")
        .hasError(
            RuleId.CALLBACK_MODIFIERS,
            "ISR 'onRx' must not throw checked exception java.io.IOException");
  }

  @Test
  void rejectsCheckedExceptionFromWorkItem() {
    assertThatMethod("@OnInterruptWorkItem void drain() throws Exception {}")
        .withMembers(ISR)
        .hasError(
            RuleId.CALLBACK_MODIFIERS,
            "work item 'drain' must not throw checked exception java.lang.Exception");
  }

  @Test
  void rejectsThrowableFromEnable() {
    assertThatMethod("@OnInterruptEnable void on(Interrupt interrupt) throws Throwable {}")
        .withMembers(ISR, "@OnInterruptDisable void off(Interrupt interrupt) {}")
        .hasError(
            RuleId.CALLBACK_MODIFIERS,
            "enable 'on' may throw Exception and its subclasses, not java.lang.Throwable");
  }
}
