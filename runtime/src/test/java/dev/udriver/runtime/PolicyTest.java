package dev.udriver.runtime;

import static dev.udriver.runtime.TestSupport.await;
import static dev.udriver.runtime.TestSupport.awaitQuietly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.udriver.annotation.AffinityPolicy;
import dev.udriver.annotation.InterruptPriority;
import dev.udriver.runtime.sim.SimulatedHardware;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** ExtendedPolicy validation, and policies set on an interrupt applying at the next start. */
class PolicyTest {

  private static String message(Runnable construction) {
    return assertThrows(IllegalArgumentException.class, construction::run).getMessage();
  }

  @Test
  void specifiedProcessorsNeedsANonEmptySet() {
    String message =
        message(() -> new ExtendedPolicy(
            AffinityPolicy.SPECIFIED_PROCESSORS, InterruptPriority.NORMAL, 0L, 0));
    assertTrue(message.contains("SPECIFIED_PROCESSORS") && message.contains("non-empty"), message);
  }

  @Test
  void aProcessorSetNeedsSpecifiedProcessors() {
    for (AffinityPolicy policy : AffinityPolicy.values()) {
      if (policy == AffinityPolicy.SPECIFIED_PROCESSORS) {
        continue;
      }
      String message = message(() -> new ExtendedPolicy(policy, InterruptPriority.LOW, 0x4L, 0));
      assertTrue(message.contains("0x4") && message.contains(policy.name()), message);
    }
  }

  @Test
  void groupMustFitGroupAffinity() {
    assertTrue(message(() -> new ExtendedPolicy(
        AffinityPolicy.MACHINE_DEFAULT, InterruptPriority.NORMAL, 0L, -1)).contains("-1"));
    assertTrue(message(() -> new ExtendedPolicy(
        AffinityPolicy.MACHINE_DEFAULT, InterruptPriority.NORMAL, 0L, 65_536)).contains("65536"));
    assertEquals(
        65_535,
        new ExtendedPolicy(AffinityPolicy.MACHINE_DEFAULT, InterruptPriority.NORMAL, 0L, 65_535)
            .group());
  }

  @Test
  void processorsOutsideZeroTo63AreRefused() {
    assertTrue(message(() -> ExtendedPolicy.processorMask(64)).contains("64"));
    assertTrue(message(() -> ExtendedPolicy.processorMask(-1)).contains("-1"));
    assertTrue(
        message(() -> ExtendedPolicy.specifiedProcessors(InterruptPriority.HIGH, 2, 64))
            .contains("0..63"));
    assertEquals(0x8000_0000_0000_0001L, ExtendedPolicy.processorMask(0, 63));
    assertEquals(0b101L, ExtendedPolicy.specifiedProcessors(InterruptPriority.HIGH, 0, 2, 2)
        .targetProcessorSet());
  }

  @Test
  void nullEnumsAreRefused() {
    assertThrows(NullPointerException.class,
        () -> new ExtendedPolicy(null, InterruptPriority.NORMAL, 0L, 0));
    assertThrows(NullPointerException.class,
        () -> new ExtendedPolicy(AffinityPolicy.MACHINE_DEFAULT, null, 0L, 0));
  }

  @Test
  void setPolicyIsStoredAndAppliesAtTheNextStart() {
    SimulatedHardware hardware = SimulatedHardware.builder().edge("blocker").edge("x").edge("y").build();
    CountDownLatch[] entered = {new CountDownLatch(1)};
    CountDownLatch[] release = {new CountDownLatch(1)};
    List<String> order = new CopyOnWriteArrayList<>();
    InterruptConfig.Isr recording =
        (interrupt, id) -> {
          order.add(interrupt.getName());
          return true;
        };
    InterruptConfig blocker =
        InterruptConfig.builder(
                "blocker",
                (interrupt, id) -> {
                  entered[0].countDown();
                  awaitQuietly(release[0]);
                  return true;
                })
            .build();
    try (DeviceNode device =
        TestSupport.device(
            hardware,
            blocker,
            InterruptConfig.builder("x", recording).build(),
            InterruptConfig.builder("y", recording).build())) {
      Interrupt y = device.getInterrupts("y").get(0);
      device.start();
      // Both NORMAL: served in arrival order.
      fireWhileBlocked(hardware, entered[0], release[0]);
      await("x and y", () -> order.size() == 2);
      assertEquals(List.of("x", "y"), order);

      // Priority orders pending interrupts of one dispatcher; an affinity that leaves y on the
      // device's dispatcher keeps the two comparable (SPECIFIED_PROCESSORS would move y to a
      // dispatcher pinned to those processors: see DispatcherGroupTest).
      y.setPolicy(AffinityPolicy.ALL_PROCESSORS_IN_MACHINE, InterruptPriority.HIGH, 0L);
      device.stop();
      device.start();

      order.clear();
      entered[0] = new CountDownLatch(1);
      release[0] = new CountDownLatch(1);
      fireWhileBlocked(hardware, entered[0], release[0]);
      await("x and y again", () -> order.size() == 2);
      assertEquals(List.of("y", "x"), order, "y's HIGH priority did not apply");

      y.setPolicy(AffinityPolicy.SPECIFIED_PROCESSORS, InterruptPriority.HIGH, 0b110L);
      assertEquals(0L, y.getInfo().targetProcessorSet(), "applied before the next start");
      device.stop();
      device.start();
      assertEquals(0b110L, y.getInfo().targetProcessorSet());
      assertEquals(0, y.getInfo().group());

      y.setExtendedPolicy(
          new ExtendedPolicy(AffinityPolicy.SPECIFIED_PROCESSORS, InterruptPriority.LOW, 0x1L, 7));
      device.stop();
      device.start();
      assertEquals(0x1L, y.getInfo().targetProcessorSet());
      assertEquals(7, y.getInfo().group());
    }
  }

  @Test
  void invalidSetPolicyIsRefusedAndKeepsThePreviousPolicy() {
    SimulatedHardware hardware = SimulatedHardware.builder().edge("x").build();
    try (DeviceNode device =
        TestSupport.device(
            hardware,
            InterruptConfig.builder("x", TestSupport.claim())
                .policy(ExtendedPolicy.specifiedProcessors(InterruptPriority.NORMAL, 5))
                .build())) {
      Interrupt x = device.getInterrupts().get(0);
      assertThrows(
          IllegalArgumentException.class,
          () -> x.setPolicy(AffinityPolicy.SPECIFIED_PROCESSORS, InterruptPriority.HIGH, 0L));
      assertThrows(
          IllegalArgumentException.class,
          () -> x.setPolicy(AffinityPolicy.ALL_PROCESSORS_IN_MACHINE, InterruptPriority.HIGH, 1L));
      assertThrows(NullPointerException.class, () -> x.setExtendedPolicy(null));
      device.start();
      assertEquals(1L << 5, x.getInfo().targetProcessorSet());
    }
  }

  private static void fireWhileBlocked(
      SimulatedHardware hardware, CountDownLatch entered, CountDownLatch release) {
    hardware.interrupt("blocker").fire();
    TestSupport.await(entered);
    hardware.interrupt("x").fire();
    hardware.interrupt("y").fire();
    release.countDown();
  }
}
