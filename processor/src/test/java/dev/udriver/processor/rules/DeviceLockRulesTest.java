package dev.udriver.processor.rules;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.udriver.processor.UdriverProcessor;
import java.util.ArrayList;
import java.util.List;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** What the device-lock rules say, and how they find the device. */
class DeviceLockRulesTest {

  private static Compilation compile(String... lines) {
    List<String> all = new ArrayList<>();
    all.add("package example;");
    all.add("import dev.udriver.annotation.*;");
    all.add("import dev.udriver.runtime.*;");
    all.addAll(List.of(lines));
    JavaFileObject source = JavaFileObjects.forSourceLines("example.Driver", all);
    return javac().withProcessors(new UdriverProcessor()).compile(source);
  }

  private static List<String> udriverErrors(Compilation compilation) {
    List<String> out = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : compilation.errors()) {
      String message = d.getMessage(null);
      if (message.startsWith("[udriver:")) {
        out.add(message);
      }
    }
    return out;
  }

  @Test
  void exceptionPathLeakNamesTheThrowingCall() {
    Compilation compilation =
        RuleTestHelper.compile(RuleExamplesTest.ROOT.resolve("DEVICE_LOCK_BALANCED/Bad.java"));
    assertThat(compilation)
        .hadErrorContaining(
            "[udriver:DEVICE_LOCK_BALANCED] the device lock taken here is still held when"
                + " Integer.parseInt(..) (line 16) throws out of 'drainTx'");
    assertThat(compilation)
        .hadErrorContaining(
            "Device.lock() in the work item 'drainRx', which runs with"
                + " automaticSerialization");
  }

  @Test
  void everyExpressionForTheDeviceNamesOneLock() {
    // Taken through a field, released through interrupt.getDevice(): one device, one lock.
    Compilation compilation =
        compile(
            "class Driver {",
            "  private Device device;",
            "  private int settings;",
            "  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {",
            "    return interrupt.queueWorkItemForIsr(); }",
            "  @OnInterruptWorkItem void drain(Interrupt interrupt, Device device) {",
            "    this.device = device;",
            "    Device other = interrupt.getDevice();",
            "    this.device.acquireLock();",
            "    settings++;",
            "    other.releaseLock();",
            "  }",
            "}");
    assertThat(udriverErrors(compilation)).isEmpty();
  }

  @Test
  void theDeviceLockDoesNotCountAsAnInterruptLock() {
    // A device-lock leak is the device rule's alone, and a blocking device acquire on any thread
    // is allowed: ARBITRARY_THREAD_USES_TRY_ACQUIRE is about the interrupt lock.
    Compilation compilation =
        compile(
            "class Driver {",
            "  private int settings;",
            "  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return settings > 0; }",
            "  public void configure(Device device) {",
            "    device.acquireLock();",
            "    settings++;",
            "  }",
            "}");
    List<String> errors = udriverErrors(compilation);
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0)).startsWith("[udriver:DEVICE_LOCK_BALANCED]");
  }

  @Test
  void aHelperOfTheIsrIsReportedAtTheCallWithThePath() {
    Compilation compilation =
        RuleTestHelper.compile(
            RuleExamplesTest.ROOT.resolve("DEVICE_LOCK_NOT_UNDER_INTERRUPT_LOCK/Bad.java"));
    assertThat(compilation)
        .hadErrorContaining(
            "[udriver:DEVICE_LOCK_NOT_UNDER_INTERRUPT_LOCK] Device.synchronize(..) while the ISR"
                + " 'onIrq' holds the interrupt lock (onIrq \u2192 readSettings \u2192"
                + " Device.synchronize(..))");
  }

  @Test
  void theInterruptLockUnderTheDeviceLockNamesTheSerializedWorkItem() {
    Compilation compilation =
        RuleTestHelper.compile(
            RuleExamplesTest.ROOT.resolve("INTERRUPT_LOCK_NOT_UNDER_DEVICE_LOCK/Bad.java"));
    assertThat(compilation)
        .hadErrorContaining(
            "[udriver:INTERRUPT_LOCK_NOT_UNDER_DEVICE_LOCK] acquireInterruptLock() while the work"
                + " item 'drainRx' (automaticSerialization) holds the device lock");
    assertThat(compilation)
        .hadErrorContaining(
            "lock() while 'drainTx' holds the device lock (drainTx \u2192 clear \u2192 lock())");
  }

  @Test
  void aMethodReferenceGivenToSynchronizeRunsUnderTheLock() {
    // Bound to this or static: the method runs in place with the lock held, as the call it stands
    // for would. Bound to another instance, it takes that instance's device lock, not this one.
    Compilation compilation =
        compile(
            "class Driver {",
            "  private static Device shared;",
            "  private Driver peer;",
            "  private Device device;",
            "  private int settings;",
            "  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {",
            "    return interrupt.queueWorkItemForIsr(); }",
            "  @OnInterruptWorkItem void drain(Interrupt interrupt, Device device) {",
            "    settings = device.synchronize(this::snapshot);",
            "    settings = device.synchronize(peer::snapshot);",
            "    settings = device.synchronize(Driver::sharedSnapshot);",
            "    settings = interrupt.synchronize(this::snapshot);",
            "    settings = device.synchronize(this::plain);",
            "  }",
            "  private int snapshot() {",
            "    try (var held = device.lock()) { return settings; } }",
            "  private static int sharedSnapshot() {",
            "    try (var held = shared.lock()) { return 0; } }",
            "  private int plain() { return settings; }",
            "}");
    List<String> errors = udriverErrors(compilation);
    String again =
        "[udriver:DEVICE_LOCK_BALANCED] 'drain' holds the device lock here and the call takes it"
            + " again (drain \u2192 %s \u2192 Device.lock())";
    assertThat(errors).hasSize(3);
    assertThat(startingWith(errors, String.format(again, "snapshot"))).isEqualTo(1);
    assertThat(startingWith(errors, String.format(again, "sharedSnapshot"))).isEqualTo(1);
    assertThat(
            startingWith(
                errors,
                "[udriver:DEVICE_LOCK_NOT_UNDER_INTERRUPT_LOCK] Device.lock() while 'drain' holds"
                    + " the interrupt lock (drain \u2192 snapshot \u2192 Device.lock())"))
        .isEqualTo(1);
  }

  private static long startingWith(List<String> errors, String prefix) {
    return errors.stream().filter(e -> e.startsWith(prefix)).count();
  }

  @Test
  void aSerializedWorkItemThatGivesTheLockUpAndTakesItBackIsReportedOnceAtTheRelease() {
    // The framework's hold flows like any other: after the release the helper's lock and the
    // re-acquire are not second acquires, and the item returns holding it as the runtime wants.
    Compilation compilation =
        compile(
            "class Driver {",
            "  private int settings;",
            "  @OnInterruptIsr(automaticSerialization = true) boolean onIrq(Interrupt interrupt) {",
            "    return interrupt.queueWorkItemForIsr(); }",
            "  @OnInterruptWorkItem void drain(Interrupt interrupt, Device device) {",
            "    device.releaseLock();",
            "    try {",
            "      store(device);",
            "    } finally {",
            "      device.acquireLock();",
            "    }",
            "  }",
            "  private void store(Device device) {",
            "    device.synchronize(() -> settings = 1);",
            "  }",
            "}");
    assertThat(udriverErrors(compilation))
        .containsExactly(
            "[udriver:DEVICE_LOCK_BALANCED] Device.releaseLock() in the work item 'drain', which"
                + " runs with automaticSerialization: the framework holds this lock and releases"
                + " it when the work item returns");
  }

  @Test
  void bothOrdersInOneMethodAreEachReported() {
    // Interrupt lock then device lock, and device lock then interrupt lock: one finding each.
    Compilation compilation =
        compile(
            "class Driver {",
            "  private int count;",
            "  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {",
            "    count++; return interrupt.queueWorkItemForIsr(); }",
            "  @OnInterruptWorkItem void drain(Interrupt interrupt, Device device) {",
            "    interrupt.synchronize(() -> device.synchronize(() -> count = 0));",
            "    device.synchronize(() -> interrupt.synchronize(() -> count = 1));",
            "  }",
            "}");
    List<String> errors = udriverErrors(compilation);
    assertThat(errors).hasSize(2);
    assertThat(errors.get(0)).startsWith("[udriver:DEVICE_LOCK_NOT_UNDER_INTERRUPT_LOCK]");
    assertThat(errors.get(1)).startsWith("[udriver:INTERRUPT_LOCK_NOT_UNDER_DEVICE_LOCK]");
  }

  @Test
  void disableThroughAHelperOfASerializedWorkItemShowsThePath() {
    Compilation compilation =
        RuleTestHelper.compile(
            RuleExamplesTest.ROOT.resolve("NO_DISABLE_UNDER_DEVICE_LOCK/Bad.java"));
    assertThat(compilation)
        .hadErrorContaining(
            "[udriver:NO_DISABLE_UNDER_DEVICE_LOCK] disable() while the work item 'drainRx'"
                + " (automaticSerialization) holds the device lock (drainRx \u2192 restart"
                + " \u2192 disable())");
  }
  /**
   * A driver whose {@code adjust} takes the device lock behind the flag {@code locked} and, before
   * releasing it under the flag, sets {@code others} more flags each on its own condition: every
   * combination is a path, so the states number 2 to the power {@code others + 1}.
   */
  private static Compilation flagGuardedWithOtherFlags(int others) {
    List<String> lines = new ArrayList<>();
    lines.add("class Driver {");
    lines.add("  private int settings;");
    lines.add("  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {");
    lines.add("    return interrupt.queueWorkItemForIsr(); }");
    lines.add("  @OnInterruptWorkItem void drain(Interrupt interrupt) { settings = 0; }");
    lines.add("  public void adjust(Device device, boolean shared) {");
    lines.add("    boolean locked = false;");
    lines.add("    if (shared) { device.acquireLock(); locked = true; }");
    for (int i = 0; i < others; i++) {
      lines.add("    boolean seen" + i + " = false;");
      lines.add("    if (settings > " + i + ") { seen" + i + " = true; }");
    }
    lines.add("    try { settings++; } finally { if (locked) { device.releaseLock(); } }");
    lines.add("  }");
    lines.add("}");
    return compile(lines.toArray(String[]::new));
  }

  @Test
  void aFlagGuardedLockAmongAFewOtherFlagsIsBalanced() {
    // 2^4 = 16 states: within the bound, every flag is followed.
    assertThat(udriverErrors(flagGuardedWithOtherFlags(3))).isEmpty();
  }

  @Test
  void flagsThatGuardNoLockDoNotCountTowardsTheBound() {
    // Each other flag's two values meet at a join with the same locks held: they merge back into
    // one state there, so `locked` is still followed beside five of them.
    assertThat(udriverErrors(flagGuardedWithOtherFlags(5))).isEmpty();
  }

  @Test
  void manyFlagsStayCheap() {
    // Forty flags would be 2^41 paths; merged at each join, the analysis keeps a few states per
    // statement, so this compiles in well under the test's patience.
    long start = System.nanoTime();
    List<String> errors = udriverErrors(flagGuardedWithOtherFlags(40));
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(errors).isEmpty();
    assertThat(millis).isLessThan(20_000L);
  }

  /** {@code locks} interrupt locks, each taken under a condition and released under its flag. */
  private static Compilation flagGuardedLocks(int locks) {
    List<String> lines = new ArrayList<>();
    lines.add("class Driver {");
    lines.add("  private int settings;");
    for (int i = 0; i < locks; i++) {
      lines.add("  private Interrupt irq" + i + ";");
    }
    lines.add("  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {");
    lines.add("    return interrupt.queueWorkItemForIsr(); }");
    lines.add("  @OnInterruptWorkItem void drain(Interrupt interrupt) {");
    for (int i = 0; i < locks; i++) {
      lines.add("    boolean locked" + i + " = false;");
      lines.add(
          "    if (settings > " + i + ") { irq" + i + ".acquireInterruptLock(); locked" + i
              + " = true; }");
    }
    lines.add("    try { settings++; } finally {");
    for (int i = locks - 1; i >= 0; i--) {
      lines.add("      if (locked" + i + ") { irq" + i + ".releaseInterruptLock(); }");
    }
    lines.add("    }");
    lines.add("  }");
    lines.add("}");
    return compile(lines.toArray(String[]::new));
  }

  @Test
  void flagsGuardingLocksAreFollowedWithinTheBound() {
    // 2^4 = 16 combinations of held locks and flags: every flag is followed.
    assertThat(udriverErrors(flagGuardedLocks(4))).isEmpty();
  }

  @Test
  void pastTheStateBoundFlagsAreDroppedAndTheLockCallsAloneDecide() {
    // 2^6 = 64 combinations: past the bound of 32 the flags' values are dropped at the join, and
    // the finally block sees every flag as unknown, as before flags were followed: possible leaks
    // and releases without acquire, reported, and the analysis stays small.
    List<String> errors = udriverErrors(flagGuardedLocks(6));
    assertThat(errors).isNotEmpty();
    assertThat(
            errors.stream()
                .allMatch(
                    e ->
                        e.startsWith("[udriver:INTERRUPT_LOCK_BALANCED_ON_EXIT]")
                            || e.startsWith("[udriver:INTERRUPT_LOCK_STRICT_ALTERNATION]")))
        .isTrue();
  }
}
