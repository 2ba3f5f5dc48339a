package dev.udriver.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.udriver.runtime.DeviceNode;
import dev.udriver.runtime.DeviceRuleViolation;
import dev.udriver.runtime.HandWiring;
import dev.udriver.runtime.Interrupt;
import dev.udriver.runtime.InterruptConfig;
import dev.udriver.runtime.InterruptRuleViolation;
import dev.udriver.runtime.VerifierFinding;
import dev.udriver.runtime.sim.SimulatedHardware;
import dev.udriver.runtime.sim.Simulation;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The device's lock ({@code IWDFObject::AcquireLock}): what automatically serialized work items run
 * under, taken by driver code on any thread; and its misuse.
 */
class DeviceLockTest {

  private static final InterruptConfig.Isr QUEUE =
      (interrupt, id) -> {
        interrupt.queueWorkItemForIsr();
        return true;
      };

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out waiting until " + what);
      }
      LockSupport.parkNanos(100_000);
    }
  }

  private static void await(CountDownLatch latch) throws InterruptedException {
    assertTrue(latch.await(10, TimeUnit.SECONDS), "timed out on a latch");
  }

  @Test
  void anApplicationThreadHoldingTheDeviceLockHoldsBackAnAutomaticallySerializedWorkItem()
      throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    CountDownLatch ran = new CountDownLatch(1);
    SimulatedHardware hardware = SimulatedHardware.builder().edge("serialized").build();
    try (Simulation sim = Simulation.threaded()) {
      DeviceNode device = sim.device("dev", hardware);
      device.addDriver(
          new Object(),
          HandWiring.of(
              InterruptConfig.builder("serialized", QUEUE)
                  .workItem(
                      (interrupt, associated) -> {
                        events.add("work item");
                        ran.countDown();
                      })
                  .automaticSerialization(true)
                  .build()));
      device.start();
      InterruptObject serialized = (InterruptObject) device.getInterrupts().getFirst();
      try (var held = device.lock()) {
        events.add("locked");
        hardware.interrupt("serialized").fire();
        // The worker took the work item and waits for the lock this thread holds.
        await("the work item waits for the device lock", serialized::deviceLockHasWaiters);
        assertEquals(1, ran.getCount(), "the work item ran under a lock held elsewhere");
        events.add("releasing");
      }
      await(ran);
      assertEquals(List.of("locked", "releasing", "work item"), events);
      device.stop();
      sim.assertClean();
    }
  }

  @Test
  void aWorkItemWithoutAutomaticSerializationRunsWhileTheDeviceLockIsHeld() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    CountDownLatch ran = new CountDownLatch(1);
    SimulatedHardware hardware = SimulatedHardware.builder().edge("free").build();
    try (Simulation sim = Simulation.threaded()) {
      DeviceNode device = sim.device("dev", hardware);
      device.addDriver(
          new Object(),
          HandWiring.of(
              InterruptConfig.builder("free", QUEUE)
                  .workItem(
                      (interrupt, associated) -> {
                        events.add("work item");
                        ran.countDown();
                      })
                  .build()));
      device.start();
      boolean ranUnderTheLock =
          device.synchronize(
              () -> {
                events.add("locked");
                hardware.interrupt("free").fire();
                try {
                  return ran.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return false;
                }
              });
      events.add("released");
      assertTrue(ranUnderTheLock, "the work item waited for the device lock");
      assertEquals(List.of("locked", "work item", "released"), events);
      device.stop();
      sim.assertClean();
    }
  }

  @Test
  void releaseWithoutAcquireAndRecursionThrowNamingTheDeviceAndRule() {
    SimulatedHardware hardware = SimulatedHardware.builder().edge("rx").build();
    try (Simulation sim = Simulation.deterministic()) {
      DeviceNode device = sim.device("dev-lock", hardware);
      device.addDriver(new Object(), HandWiring.of(InterruptConfig.builder("rx", QUEUE).build()));
      DeviceRuleViolation release = assertThrows(DeviceRuleViolation.class, device::releaseLock);
      assertEquals("DEVICE_LOCK_RELEASE_WITHOUT_ACQUIRE", release.rule());
      assertEquals("dev-lock", release.device());
      assertTrue(release.getMessage().startsWith("device dev-lock: DEVICE_LOCK_RELEASE_WITHOUT_ACQUIRE"),
          release.getMessage());

      device.acquireLock();
      DeviceRuleViolation recursion = assertThrows(DeviceRuleViolation.class, device::acquireLock);
      assertEquals("DEVICE_LOCK_NO_RECURSION", recursion.rule());
      assertEquals("dev-lock", recursion.device());
      device.releaseLock(); // held once: one release frees it
      assertThrows(DeviceRuleViolation.class, device::releaseLock);
    }
  }

  @Test
  void stopWhileHoldingTheDeviceLockIsRefusedInsteadOfWaitingForItself() {
    SimulatedHardware hardware = SimulatedHardware.builder().edge("rx").build();
    try (Simulation sim = Simulation.deterministic()) {
      DeviceNode device = sim.device("dev", hardware);
      device.addDriver(
          new Object(),
          HandWiring.of(
              InterruptConfig.builder("rx", QUEUE)
                  .workItem((interrupt, associated) -> {})
                  .automaticSerialization(true)
                  .build()));
      device.start();
      try (var held = device.lock()) {
        DeviceRuleViolation stop = assertThrows(DeviceRuleViolation.class, device::stop);
        assertEquals("DRAIN_UNDER_DEVICE_LOCK", stop.rule());
        Interrupt rx = device.getInterrupts().getFirst();
        assertThrows(DeviceRuleViolation.class, rx::disable);
        assertTrue(device.isStarted());
      }
      device.stop();
      assertFalse(device.isStarted());
    }
  }

  @Test
  void anAutomaticallySerializedWorkItemThatTakesTheDeviceLockAgainIsARecursion() {
    SimulatedHardware hardware = SimulatedHardware.builder().edge("rx").build();
    try (Simulation sim = Simulation.deterministic()) {
      DeviceNode device = sim.device("dev", hardware);
      device.addDriver(
          new Object(),
          HandWiring.of(
              InterruptConfig.builder("rx", QUEUE)
                  .workItem((interrupt, associated) -> associated.acquireLock())
                  .automaticSerialization(true)
                  .build()));
      device.start();
      hardware.interrupt("rx").fire();
      sim.runUntilIdle();
      Simulation.Failure failure = sim.failures().getFirst();
      assertEquals("OnInterruptWorkItem", failure.callback());
      assertEquals("DEVICE_LOCK_NO_RECURSION",
          assertInstanceOf(DeviceRuleViolation.class, failure.failure()).rule());
      VerifierFinding finding = sim.findings().getFirst();
      assertEquals(VerifierFinding.DEVICE_LOCK_RECURSION, finding.rule());
      assertEquals("OnInterruptWorkItem", finding.callback());
      assertEquals(device.getInterrupts().getFirst(), finding.interrupt());
      assertFalse(((InterruptObject) device.getInterrupts().getFirst()).deviceCallbackLockHeldByCurrentThread(),
          "the framework released its hold after the work item");
    }
  }

  @Test
  void theVerifierReportsTheDeviceLockTakenInsideTheIsr() {
    SimulatedHardware hardware = SimulatedHardware.builder().edge("rx").build();
    try (Simulation sim = Simulation.deterministic()) {
      DeviceNode device = sim.device("dev", hardware);
      device.addDriver(
          new Object(),
          HandWiring.of(
              InterruptConfig.builder(
                      "rx",
                      (interrupt, id) -> {
                        try (var held = interrupt.getDevice().lock()) {
                          return true;
                        }
                      })
                  .build()));
      device.start();
      hardware.interrupt("rx").fire();
      sim.runPendingIsrs();
      assertEquals(List.of(), sim.failures());
      List<VerifierFinding> findings = sim.findings();
      assertEquals(1, findings.size(), findings.toString());
      VerifierFinding finding = findings.getFirst();
      assertEquals(VerifierFinding.DEVICE_LOCK_UNDER_INTERRUPT_LOCK, finding.rule());
      assertEquals("OnInterruptIsr", finding.callback());
      assertEquals(device.getInterrupts().getFirst(), finding.interrupt());
      assertTrue(finding.message().contains("lock()"), finding.message());
    }
  }

  @Test
  void theVerifierReportsTheInterruptLockTakenInAnAutomaticallySerializedWorkItem() {
    SimulatedHardware hardware = SimulatedHardware.builder().edge("rx").build();
    try (Simulation sim = Simulation.deterministic()) {
      DeviceNode device = sim.device("dev", hardware);
      device.addDriver(
          new Object(),
          HandWiring.of(
              InterruptConfig.builder("rx", QUEUE)
                  .workItem((interrupt, associated) -> interrupt.synchronize(() -> null))
                  .automaticSerialization(true)
                  .build()));
      device.start();
      hardware.interrupt("rx").fire();
      sim.runUntilIdle();
      assertEquals(List.of(), sim.failures());
      VerifierFinding finding = sim.findings().getFirst();
      assertEquals(VerifierFinding.INTERRUPT_LOCK_UNDER_DEVICE_LOCK, finding.rule());
      assertEquals("OnInterruptWorkItem", finding.callback());
      assertEquals(1, sim.findings().size(), sim.findings().toString());
    }
  }

  @Test
  void aWorkItemThatReturnsHoldingTheDeviceLockIsReportedAndTheLockFreed() {
    SimulatedHardware hardware = SimulatedHardware.builder().edge("rx").build();
    try (Simulation sim = Simulation.deterministic()) {
      DeviceNode device = sim.device("dev", hardware);
      device.addDriver(
          new Object(),
          HandWiring.of(
              InterruptConfig.builder("rx", QUEUE)
                  .workItem((interrupt, associated) -> associated.acquireLock())
                  .build()));
      device.start();
      InterruptObject rx = (InterruptObject) device.getInterrupts().getFirst();
      hardware.interrupt("rx").fire();
      sim.runUntilIdle(); // the work item runs on this thread
      assertFalse(rx.deviceCallbackLockHeldByCurrentThread());
      Simulation.Failure failure = sim.failures().getFirst();
      assertEquals("OnInterruptWorkItem", failure.callback());
      assertEquals(VerifierFinding.DEVICE_LOCK_HELD_AFTER_CALLBACK,
          assertInstanceOf(InterruptRuleViolation.class, failure.failure()).rule());
      assertEquals(VerifierFinding.DEVICE_LOCK_HELD_AFTER_CALLBACK, sim.findings().getFirst().rule());
      device.stop(); // not refused: the lock was freed
    }
  }
}
