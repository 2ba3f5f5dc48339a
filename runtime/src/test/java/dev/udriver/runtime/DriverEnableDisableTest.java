package dev.udriver.runtime;

import static dev.udriver.runtime.TestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.udriver.runtime.sim.SimulatedHardware;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The driver's own {@code Interrupt.enable()} and {@code Interrupt.disable()}. */
class DriverEnableDisableTest {

  private final List<String> events = new CopyOnWriteArrayList<>();
  private final AtomicInteger isrCalls = new AtomicInteger();
  private final SimulatedHardware hardware =
      SimulatedHardware.builder().edge("a").edge("b").build();

  private InterruptConfig config(String name, InterruptConfig.Isr isr) {
    return InterruptConfig.builder(name, isr)
        .enable((interrupt, device) -> events.add("enable " + interrupt.getName()))
        .disable((interrupt, device) -> events.add("disable " + interrupt.getName()))
        .build();
  }

  private InterruptConfig counting(String name) {
    return config(
        name,
        (interrupt, id) -> {
          isrCalls.incrementAndGet();
          return true;
        });
  }

  @Test
  void disableDisconnectsAndStaysDisconnectedAcrossRestartUntilEnable() {
    try (DeviceNode device = TestSupport.device(hardware, counting("a"), counting("b"))) {
      device.start();
      Interrupt a = device.getInterrupts("a").get(0);
      events.clear();

      a.disable();
      assertEquals(List.of("disable a"), events);
      assertFalse(hardware.interrupt("a").isConnected());
      hardware.interrupt("a").fire();
      assertEquals(1, hardware.interrupt("a").lostSignals());
      assertTrue(hardware.interrupt("b").isConnected(), "b is not affected");

      device.stop();
      device.start();
      assertEquals(List.of("disable a", "disable b", "enable b"), events);
      assertFalse(hardware.interrupt("a").isConnected(), "start reconnected a disabled interrupt");
      hardware.interrupt("a").fire();
      assertEquals(2, hardware.interrupt("a").lostSignals());
      assertEquals(0, a.getStatistics().isrCalls());

      events.clear();
      a.enable();
      assertEquals(List.of("enable a"), events);
      assertTrue(hardware.interrupt("a").isConnected());
      hardware.interrupt("a").fire();
      await("ISR after enable()", () -> isrCalls.get() == 1);

      events.clear();
      device.stop();
      assertEquals(List.of("disable b", "disable a"), events);
    }
  }

  @Test
  void disableWhileStoppedKeepsTheInterruptFromConnectingAtStart() {
    try (DeviceNode device = TestSupport.device(hardware, counting("a"), counting("b"))) {
      Interrupt a = device.getInterrupts("a").get(0);
      a.disable();
      assertEquals(List.of(), events, "nothing to disable before start");
      device.start();
      assertEquals(List.of("enable b"), events);
      assertFalse(hardware.interrupt("a").isConnected());
      a.enable();
      assertEquals(List.of("enable b", "enable a"), events);
      assertTrue(hardware.interrupt("a").isConnected());
    }
  }

  @Test
  void doubleEnableIsARuleViolation() {
    try (DeviceNode device = TestSupport.device(hardware, counting("a"), counting("b"))) {
      device.start();
      Interrupt a = device.getInterrupts("a").get(0);
      InterruptRuleViolation violation = assertThrows(InterruptRuleViolation.class, a::enable);
      assertEquals("INTERRUPT_DOUBLE_ENABLE", violation.rule());
      assertEquals(a.toString(), violation.interrupt());
      assertTrue(violation.getMessage().contains(a.toString()), violation.getMessage());

      a.disable();
      a.enable();
      assertEquals("INTERRUPT_DOUBLE_ENABLE", assertThrows(InterruptRuleViolation.class, a::enable).rule());
      assertEquals(List.of("enable a", "enable b", "disable a", "enable a"), events);
      assertTrue(hardware.interrupt("a").isConnected(), "the refused enable changed nothing");
    }
  }

  @Test
  void enableAndDisableFromInsideAnIsrAreRuleViolationsNotDeadlocks() {
    AtomicReference<Interrupt> other = new AtomicReference<>();
    List<String> rules = new CopyOnWriteArrayList<>();
    InterruptConfig.Isr isr =
        (interrupt, id) -> {
          for (Runnable call :
              List.<Runnable>of(
                  interrupt::disable, interrupt::enable, other.get()::disable, other.get()::enable)) {
            try {
              call.run();
              rules.add("no violation");
            } catch (InterruptRuleViolation violation) {
              rules.add(violation.rule());
            }
          }
          isrCalls.incrementAndGet();
          return true;
        };
    try (DeviceNode device = TestSupport.device(hardware, config("a", isr), counting("b"))) {
      other.set(device.getInterrupts("b").get(0));
      device.start();
      events.clear();
      hardware.interrupt("a").fire();
      await("the ISR", () -> isrCalls.get() == 1);
      assertEquals(4, rules.size());
      for (String rule : rules) {
        assertEquals("ENABLE_DISABLE_UNDER_INTERRUPT_LOCK", rule, rules.toString());
      }
      assertEquals(List.of(), events, "no callback ran");
      assertTrue(hardware.interrupt("a").isConnected());
      assertTrue(hardware.interrupt("b").isConnected());
      device.stop(); // and the device still stops
      assertEquals(List.of("disable b", "disable a"), events);
    }
  }

  @Test
  void enableAndDisableInsideEnableCallbackAreRuleViolations() {
    AtomicReference<String> rule = new AtomicReference<>();
    InterruptConfig a =
        InterruptConfig.builder("a", TestSupport.claim())
            .enable(
                (interrupt, device) -> {
                  try {
                    interrupt.disable();
                  } catch (InterruptRuleViolation violation) {
                    rule.set(violation.rule());
                  }
                })
            .disable((interrupt, device) -> events.add("disable a"))
            .build();
    try (DeviceNode device = TestSupport.device(hardware, a, counting("b"))) {
      device.start();
      assertEquals("ENABLE_DISABLE_UNDER_INTERRUPT_LOCK", rule.get());
      assertTrue(hardware.interrupt("a").isConnected());
      assertTrue(device.isStarted());
    }
  }

  @Test
  void disableFromAnApplicationThreadWhileHoldingTheLockIsRefused() {
    try (DeviceNode device = TestSupport.device(hardware, counting("a"), counting("b"))) {
      device.start();
      Interrupt a = device.getInterrupts("a").get(0);
      try (var held = a.lock()) {
        assertEquals(
            "ENABLE_DISABLE_UNDER_INTERRUPT_LOCK",
            assertThrows(InterruptRuleViolation.class, a::disable).rule());
      }
      assertTrue(hardware.interrupt("a").isConnected());
    }
  }

  @Test
  void disableFromTheInterruptsOwnWorkItemDisconnectsWithoutWaitingForItself() {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicInteger workRuns = new AtomicInteger();
    InterruptConfig a =
        InterruptConfig.builder("a", TestSupport.queueWorkItem())
            .workItem(
                (interrupt, device) -> {
                  try {
                    interrupt.disable();
                  } catch (Throwable t) {
                    failure.set(t);
                  }
                  workRuns.incrementAndGet();
                })
            .enable((interrupt, device) -> events.add("enable a"))
            .disable((interrupt, device) -> events.add("disable a"))
            .build();
    try (DeviceNode device = TestSupport.device(hardware, a, counting("b"))) {
      device.start();
      hardware.interrupt("a").fire();
      await("the work item", () -> workRuns.get() == 1);
      assertNull(failure.get());
      assertEquals(List.of("enable a", "enable b", "disable a"), events);
      assertFalse(hardware.interrupt("a").isConnected());
    }
  }

  @Test
  void isrDisablingAnotherInterruptDuringStopNeitherDeadlocksNorDisconnectsTwice() {
    CountDownLatch isrEntered = new CountDownLatch(1);
    CountDownLatch stopRunning = new CountDownLatch(1);
    AtomicReference<Interrupt> b = new AtomicReference<>();
    AtomicReference<String> rule = new AtomicReference<>("none");
    InterruptConfig a =
        config(
            "a",
            (interrupt, id) -> {
              isrEntered.countDown();
              TestSupport.awaitQuietly(stopRunning); // stop() holds the lifecycle lock now
              try {
                b.get().disable();
              } catch (InterruptRuleViolation violation) {
                rule.set(violation.rule());
              }
              return true;
            });
    InterruptConfig bConfig =
        InterruptConfig.builder("b", TestSupport.claim())
            .enable((interrupt, device) -> {})
            .disable(
                (interrupt, device) -> {
                  events.add("disable b");
                  stopRunning.countDown();
                })
            .build();
    try (DeviceNode device = TestSupport.device(hardware, a, bConfig)) {
      b.set(device.getInterrupts("b").get(0));
      device.start();
      events.clear();
      hardware.interrupt("a").fire();
      TestSupport.await(isrEntered);
      Thread stopper = Thread.ofPlatform().start(device::stop);
      try {
        stopper.join(TestSupport.TIMEOUT_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      assertFalse(stopper.isAlive(), "stop() deadlocked with an ISR calling disable()");
      assertEquals("ENABLE_DISABLE_UNDER_INTERRUPT_LOCK", rule.get());
      assertEquals(List.of("disable b", "disable a"), events);
    }
  }

  @Test
  void failingEnableCallbackOfDriverEnableIsReportedAndLeavesTheInterruptDisabled() {
    TestSupport.RecordingListener listener = new TestSupport.RecordingListener();
    AtomicInteger enables = new AtomicInteger();
    IllegalStateException boom = new IllegalStateException("no");
    InterruptConfig a =
        InterruptConfig.builder("a", TestSupport.claim())
            .enable(
                (interrupt, device) -> {
                  if (enables.incrementAndGet() == 2) {
                    throw boom;
                  }
                })
            .disable((interrupt, device) -> events.add("disable a"))
            .build();
    try (DeviceNode device = TestSupport.device(hardware, listener, a, counting("b"))) {
      device.start();
      Interrupt interrupt = device.getInterrupts("a").get(0);
      interrupt.disable();
      interrupt.enable(); // the callback fails this time
      assertFalse(hardware.interrupt("a").isConnected());
      assertEquals(1, listener.failuresOf("OnInterruptEnable").size());
      assertSame(boom, listener.failuresOf("OnInterruptEnable").get(0).failure());
      assertEquals(1, interrupt.getStatistics().callbackFailures());
      interrupt.enable(); // not a double enable: the failed one left it disabled
      assertTrue(hardware.interrupt("a").isConnected());
      assertEquals(3, enables.get());
    }
  }

  @Test
  void disableFromAWorkItemWaitsForAnotherLifecycleCallInsteadOfBeingDropped() {
    CountDownLatch bEnableEntered = new CountDownLatch(1);
    CountDownLatch releaseBEnable = new CountDownLatch(1);
    AtomicBoolean callingDisable = new AtomicBoolean();
    AtomicBoolean workDone = new AtomicBoolean();
    AtomicInteger bEnables = new AtomicInteger();
    InterruptConfig a =
        InterruptConfig.builder("a", TestSupport.queueWorkItem())
            .workItem(
                (interrupt, device) -> {
                  callingDisable.set(true);
                  interrupt.disable();
                  workDone.set(true);
                })
            .enable((interrupt, device) -> events.add("enable a"))
            .disable((interrupt, device) -> events.add("disable a"))
            .build();
    InterruptConfig b =
        InterruptConfig.builder("b", TestSupport.claim())
            .enable(
                (interrupt, device) -> {
                  if (bEnables.incrementAndGet() == 2) { // the driver's enable(), not the start's
                    bEnableEntered.countDown();
                    TestSupport.awaitQuietly(releaseBEnable);
                  }
                })
            .disable((interrupt, device) -> {})
            .build();
    try (DeviceNode device = TestSupport.device(hardware, a, b)) {
      device.start();
      Interrupt bInterrupt = device.getInterrupts("b").get(0);
      bInterrupt.disable();
      events.clear();
      Thread enabler = Thread.ofPlatform().start(bInterrupt::enable); // holds the lifecycle lock
      TestSupport.await(bEnableEntered);
      hardware.interrupt("a").fire();
      Thread worker =
          TestSupport.liveThreadsNamed("udriver-work-" + device.getName()).get(0);
      await(
          "the work item to call disable()",
          () -> workDone.get()
              || (callingDisable.get() && worker.getState() == Thread.State.TIMED_WAITING));
      releaseBEnable.countDown();
      await("the work item", workDone::get);
      try {
        enabler.join(TestSupport.TIMEOUT_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      assertEquals(List.of("disable a"), events, "the work item's disable() was dropped");
      assertFalse(hardware.interrupt("a").isConnected());
    }
  }
}
