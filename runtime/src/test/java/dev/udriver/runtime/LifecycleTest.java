package dev.udriver.runtime;

import static dev.udriver.runtime.TestSupport.await;
import static dev.udriver.runtime.TestSupport.claim;
import static dev.udriver.runtime.TestSupport.heldByCurrentThread;
import static dev.udriver.runtime.TestSupport.lockFreeForOtherThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.udriver.annotation.AffinityPolicy;
import dev.udriver.annotation.InterruptPriority;
import dev.udriver.annotation.ShareVector;
import dev.udriver.runtime.TestSupport.RecordingListener;
import dev.udriver.runtime.sim.SimulatedHardware;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Creation, resource assignment, enable/disable sequencing, info, stop/start, start failures. */
class LifecycleTest {

  private final List<String> events = new CopyOnWriteArrayList<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();

  /** A config whose enable/disable callbacks record themselves and check the lock is held. */
  private InterruptConfig recorded(String name) {
    return InterruptConfig.builder(name, claim())
        .enable(
            (interrupt, device) -> {
              checkCallbackContext(interrupt, device, "enable");
              events.add("enable " + interrupt);
            })
        .disable(
            (interrupt, device) -> {
              checkCallbackContext(interrupt, device, "disable");
              events.add("disable " + interrupt);
            })
        .build();
  }

  private void checkCallbackContext(Interrupt interrupt, Device device, String callback) {
    if (!heldByCurrentThread(interrupt)) {
      problems.add(callback + " of " + interrupt + " ran without the interrupt lock");
    }
    if (lockFreeForOtherThread(interrupt)) {
      problems.add(callback + " of " + interrupt + ": another thread could take the lock");
    }
    if (device != interrupt.getDevice()) {
      problems.add(callback + " of " + interrupt + " got device " + device);
    }
    if (interrupt.getInfo().vector() == 0) {
      problems.add(callback + " of " + interrupt + " ran before resources were assigned");
    }
  }

  private static SimulatedHardware mixedHardware() {
    return SimulatedHardware.builder().edge("a").msi("q", 4, 2).level("l").build();
  }

  @Test
  void addDriverCreatesOneObjectPerRequestedResourceNumberedByCreationIndex() {
    try (DeviceNode device =
        TestSupport.device(mixedHardware(), recorded("a"), recorded("q"), recorded("l"))) {
      List<Interrupt> all = device.getInterrupts();
      assertEquals(6, all.size());
      assertEquals(List.of("a", "q", "q", "q", "q", "l"), all.stream().map(Interrupt::getName).toList());
      for (int i = 0; i < all.size(); i++) {
        assertEquals(i, all.get(i).getInfo().messageNumber(), "message number of object " + i);
        assertEquals(InterruptInfo.unassigned(i), all.get(i).getInfo(), "info before start");
        assertSame(device, all.get(i).getDevice());
      }
      assertEquals(all.subList(1, 5), device.getInterrupts("q"));
      assertEquals(device.getName() + "/q#3", all.get(3).toString());
      assertThrows(UnsupportedOperationException.class, () -> all.add(all.get(0)));
    }
  }

  @Test
  void startAssignsResourcesInCreationOrderAndEnablesInCreationOrderUnderTheLock() {
    try (DeviceNode device =
        TestSupport.device(mixedHardware(), recorded("a"), recorded("q"), recorded("l"))) {
      device.start();
      assertTrue(device.isStarted());
      List<Interrupt> all = device.getInterrupts();
      String n = device.getName();
      assertEquals(
          List.of("enable " + n + "/a#0", "enable " + n + "/q#1", "enable " + n + "/q#2",
              "enable " + n + "/l#5"),
          events);
      assertEquals(List.of(), problems);

      InterruptInfo a = all.get(0).getInfo();
      InterruptInfo q1 = all.get(1).getInfo();
      InterruptInfo q2 = all.get(2).getInfo();
      InterruptInfo l = all.get(5).getInfo();
      assertNotEquals(0, a.vector());
      assertEquals(q1.vector() + 1, q2.vector(), "MSI messages get consecutive vectors in order");
      assertTrue(a.vector() < q1.vector() && q2.vector() < l.vector(), "vectors in creation order");

      assertEquals(InterruptInfo.Mode.LATCHED, a.mode());
      assertFalse(a.messageSignaled());
      assertEquals(InterruptInfo.Mode.LATCHED, q1.mode());
      assertTrue(q1.messageSignaled());
      assertEquals(InterruptInfo.Mode.LEVEL_SENSITIVE, l.mode());
      assertFalse(l.messageSignaled());
      for (InterruptInfo info : List.of(a, q1, q2, l)) {
        assertEquals(InterruptInfo.ShareDisposition.DEVICE_EXCLUSIVE, info.shareDisposition());
        assertEquals(0, info.irql());
        assertEquals(0, info.group());
        assertEquals(0L, info.targetProcessorSet());
      }
      // The bus granted 2 of 4 messages: objects 3 and 4 stay without a resource.
      assertEquals(InterruptInfo.unassigned(3), all.get(3).getInfo());
      assertEquals(InterruptInfo.unassigned(4), all.get(4).getInfo());
    }
  }

  @Test
  void stopDisablesInReverseOrderUnderTheLockAndZeroesInfoExceptMessageNumber() {
    try (DeviceNode device =
        TestSupport.device(mixedHardware(), recorded("a"), recorded("q"), recorded("l"))) {
      device.start();
      events.clear();
      device.stop();
      assertFalse(device.isStarted());
      String n = device.getName();
      assertEquals(
          List.of("disable " + n + "/l#5", "disable " + n + "/q#2", "disable " + n + "/q#1",
              "disable " + n + "/a#0"),
          events);
      assertEquals(List.of(), problems);
      List<Interrupt> all = device.getInterrupts();
      for (int i = 0; i < all.size(); i++) {
        assertEquals(InterruptInfo.unassigned(i), all.get(i).getInfo());
      }
    }
  }

  @Test
  void ungrantedMessagesAreNeverConnectedAndTheirCallbacksNeverRun() {
    AtomicInteger ungrantedCallbacks = new AtomicInteger();
    InterruptConfig q =
        InterruptConfig.builder("q", claim())
            .enable(
                (interrupt, device) -> {
                  if (interrupt.getInfo().vector() == 0) {
                    ungrantedCallbacks.incrementAndGet();
                  }
                  events.add("enable " + interrupt.getInfo().messageNumber());
                })
            .disable((interrupt, device) -> events.add("disable " + interrupt.getInfo().messageNumber()))
            .build();
    SimulatedHardware hardware = SimulatedHardware.builder().msi("q", 4, 2).build();
    try (DeviceNode device = TestSupport.device(hardware, q)) {
      device.start();
      hardware.interrupt("q").fire(3); // message 3 was not granted: nobody listens
      assertEquals(1, hardware.interrupt("q").lostSignals());
      device.stop();
      device.start();
      device.stop();
      assertEquals(
          List.of("enable 0", "enable 1", "disable 1", "disable 0", "enable 0", "enable 1",
              "disable 1", "disable 0"),
          events);
      assertEquals(0, ungrantedCallbacks.get());
      for (Interrupt interrupt : device.getInterrupts().subList(2, 4)) {
        assertEquals(0, interrupt.getStatistics().isrCalls());
        assertEquals(0, interrupt.getStatistics().signals());
      }
    }
  }

  @Test
  void sharedLevelLineReportsSharedUnlessTheConfigRefusesSharing() {
    SimulatedHardware hardware =
        SimulatedHardware.builder().sharedLevel("s").sharedLevel("x").build();
    try (DeviceNode device =
        TestSupport.device(
            hardware,
            InterruptConfig.builder("s", claim()).build(),
            InterruptConfig.builder("x", claim()).shareVector(ShareVector.FALSE).build())) {
      device.start();
      assertEquals(
          InterruptInfo.ShareDisposition.SHARED, device.getInterrupts("s").get(0).getInfo().shareDisposition());
      assertEquals(
          InterruptInfo.ShareDisposition.DEVICE_EXCLUSIVE,
          device.getInterrupts("x").get(0).getInfo().shareDisposition());
    }
  }

  @Test
  void specifiedProcessorsPolicyGivesAffinityAndGroupInInfo() {
    SimulatedHardware hardware = SimulatedHardware.builder().edge("a").edge("b").build();
    try (DeviceNode device =
        TestSupport.device(
            hardware,
            InterruptConfig.builder("a", claim())
                .policy(ExtendedPolicy.specifiedProcessors(InterruptPriority.HIGH, 1, 3))
                .build(),
            InterruptConfig.builder("b", claim())
                .policy(
                    new ExtendedPolicy(
                        AffinityPolicy.SPECIFIED_PROCESSORS, InterruptPriority.LOW, 0x30L, 2))
                .build())) {
      device.start();
      InterruptInfo a = device.getInterrupts("a").get(0).getInfo();
      InterruptInfo b = device.getInterrupts("b").get(0).getInfo();
      assertEquals(0b1010L, a.targetProcessorSet());
      assertEquals(0, a.group());
      assertEquals(0x30L, b.targetProcessorSet());
      assertEquals(2, b.group());
      device.stop();
      assertEquals(InterruptInfo.unassigned(1), device.getInterrupts("b").get(0).getInfo());
    }
  }

  @Test
  void repeatedStopStartCyclesEnableDisableAndServeEachTime() {
    AtomicInteger isrCalls = new AtomicInteger();
    InterruptConfig config =
        InterruptConfig.builder(
                "a",
                (interrupt, id) -> {
                  isrCalls.incrementAndGet();
                  return true;
                })
            .enable((interrupt, device) -> events.add("enable"))
            .disable((interrupt, device) -> events.add("disable"))
            .build();
    SimulatedHardware hardware = SimulatedHardware.builder().edge("a").build();
    try (DeviceNode device = TestSupport.device(hardware, config)) {
      for (int cycle = 1; cycle <= 4; cycle++) {
        device.start();
        assertTrue(hardware.interrupt("a").isConnected());
        hardware.interrupt("a").fire();
        int expected = cycle;
        await("ISR call " + cycle, () -> isrCalls.get() == expected);
        device.stop();
        assertFalse(hardware.interrupt("a").isConnected());
        hardware.interrupt("a").fire(); // lost while stopped
      }
      assertEquals(4, isrCalls.get());
      assertEquals(4, hardware.interrupt("a").lostSignals());
      assertEquals(
          List.of("enable", "disable", "enable", "disable", "enable", "disable", "enable", "disable"),
          events);
    }
  }

  @Test
  void interruptRaisedByTheEnableCallbackIsNotLost() {
    SimulatedHardware hardware = SimulatedHardware.builder().edge("a").build();
    AtomicInteger isrCalls = new AtomicInteger();
    InterruptConfig config =
        InterruptConfig.builder(
                "a",
                (interrupt, id) -> {
                  isrCalls.incrementAndGet();
                  return true;
                })
            .enable((interrupt, device) -> hardware.interrupt("a").fire())
            .disable((interrupt, device) -> {})
            .build();
    try (DeviceNode device = TestSupport.device(hardware, config)) {
      device.start();
      await("the ISR for the edge raised during enable", () -> isrCalls.get() == 1);
      assertEquals(0, hardware.interrupt("a").lostSignals());
    }
  }

  @Test
  void createInterruptOutsideAddDriverIsRefused() {
    SimulatedHardware hardware = SimulatedHardware.builder().edge("a").build();
    InterruptConfig config = InterruptConfig.builder("a", claim()).build();
    try (DeviceNode device = DeviceNode.create(TestSupport.uniqueName("dev"), hardware)) {
      IllegalStateException before =
          assertThrows(IllegalStateException.class, () -> device.createInterrupt(config));
      assertTrue(before.getMessage().contains("OnDeviceAdd"), before.getMessage());
      device.addDriver(new Object(), TestSupport.wiring(config));
      assertThrows(IllegalStateException.class, () -> device.createInterrupt(config));
      device.start();
      assertThrows(IllegalStateException.class, () -> device.createInterrupt(config));
      assertEquals(1, device.getInterrupts().size());
    }
  }

  @Test
  void lifecycleCallsInTheWrongStateAreRefused() {
    SimulatedHardware hardware = SimulatedHardware.builder().edge("a").build();
    InterruptConfig config = InterruptConfig.builder("a", claim()).build();
    try (DeviceNode device = DeviceNode.create(TestSupport.uniqueName("dev"), hardware)) {
      assertThrows(IllegalStateException.class, device::start);
      device.addDriver(new Object(), TestSupport.wiring(config));
      assertThrows(
          IllegalStateException.class,
          () -> device.addDriver(new Object(), TestSupport.wiring(config)));
      device.start();
      assertThrows(IllegalStateException.class, device::start);
    }
  }

  @Test
  void driverDeclaringOneNameTwiceIsRefused() {
    SimulatedHardware hardware = SimulatedHardware.builder().edge("a").build();
    InterruptConfig config = InterruptConfig.builder("a", claim()).build();
    try (DeviceNode device = DeviceNode.create(TestSupport.uniqueName("dev"), hardware)) {
      assertThrows(
          IllegalArgumentException.class,
          () -> device.addDriver(new Object(), TestSupport.wiring(config, config)));
    }
  }

  @Test
  void interruptWithoutHardwareResourceExistsUnconnectedAndIsWarnedAbout() {
    RecordingListener listener = new RecordingListener();
    SimulatedHardware hardware = SimulatedHardware.builder().edge("a").ungrantedEdge("u").build();
    try (DeviceNode device =
        TestSupport.device(hardware, listener, recorded("a"), recorded("u"), recorded("missing"))) {
      assertEquals(3, device.getInterrupts().size());
      assertTrue(
          listener.warnings.stream().anyMatch(w -> w.contains("'missing'")), listener.warnings.toString());
      device.start();
      assertEquals(List.of("enable " + device.getName() + "/a#0"), events);
      assertEquals(0, device.getInterrupts("u").get(0).getInfo().vector());
    }
  }

  // ------------------------------------------------------------------ start failures

  @Test
  void failingEnableStopsTheStartDisablesWhatWasEnabledAndTheDeviceCanStartAgain() {
    IOException boom = new IOException("enable register stuck");
    AtomicInteger attempts = new AtomicInteger();
    InterruptConfig b =
        InterruptConfig.builder("b", claim())
            .enable(
                (interrupt, device) -> {
                  events.add("enable " + interrupt);
                  if (attempts.incrementAndGet() == 1) {
                    throw boom;
                  }
                })
            .disable((interrupt, device) -> events.add("disable " + interrupt))
            .build();
    SimulatedHardware hardware = SimulatedHardware.builder().edge("a").edge("b").edge("c").build();
    try (DeviceNode device = TestSupport.device(hardware, recorded("a"), b, recorded("c"))) {
      String n = device.getName();
      DeviceStartException failure = assertThrows(DeviceStartException.class, device::start);
      assertSame(device.getInterrupts("b").get(0), failure.interrupt());
      assertSame(boom, failure.getCause());
      assertTrue(failure.getMessage().contains(n + "/b#1"), failure.getMessage());
      assertTrue(failure.getMessage().contains("enable register stuck"), failure.getMessage());
      assertEquals(List.of("enable " + n + "/a#0", "enable " + n + "/b#1", "disable " + n + "/a#0"), events);
      assertFalse(device.isStarted());
      for (String name : List.of("a", "b", "c")) {
        assertFalse(hardware.interrupt(name).isConnected(), name + " left connected");
      }
      for (int i = 0; i < 3; i++) {
        assertEquals(InterruptInfo.unassigned(i), device.getInterrupts().get(i).getInfo());
      }

      events.clear();
      device.start();
      assertTrue(device.isStarted());
      assertEquals(
          List.of("enable " + n + "/a#0", "enable " + n + "/b#1", "enable " + n + "/c#2"), events);
      assertEquals(List.of(), problems);
    }
  }

  @Test
  void enableCallbackThrowingAnErrorFailsTheStartCleanly() {
    AssertionError error = new AssertionError("driver bug");
    AtomicInteger attempts = new AtomicInteger();
    InterruptConfig b =
        InterruptConfig.builder("b", claim())
            .enable(
                (interrupt, device) -> {
                  if (attempts.incrementAndGet() == 1) {
                    throw error;
                  }
                })
            .disable((interrupt, device) -> {})
            .build();
    SimulatedHardware hardware = SimulatedHardware.builder().edge("a").edge("b").build();
    try (DeviceNode device = TestSupport.device(hardware, recorded("a"), b)) {
      DeviceStartException failure = assertThrows(DeviceStartException.class, device::start);
      assertSame(error, failure.getCause());
      assertFalse(device.isStarted());
      assertFalse(hardware.interrupt("a").isConnected());
      assertFalse(hardware.interrupt("b").isConnected());
      assertEquals(
          List.of("enable " + device.getName() + "/a#0", "disable " + device.getName() + "/a#0"),
          events);
      device.start();
      assertTrue(device.isStarted());
    }
  }

  @Test
  void failingDisableIsReportedAndTeardownContinues() {
    RecordingListener listener = new RecordingListener();
    IllegalStateException boom = new IllegalStateException("disable register stuck");
    InterruptConfig b =
        InterruptConfig.builder("b", claim())
            .enable((interrupt, device) -> {})
            .disable(
                (interrupt, device) -> {
                  events.add("disable " + interrupt);
                  throw boom;
                })
            .build();
    SimulatedHardware hardware = SimulatedHardware.builder().edge("a").edge("b").edge("c").build();
    try (DeviceNode device = TestSupport.device(hardware, listener, recorded("a"), b, recorded("c"))) {
      String n = device.getName();
      device.start();
      events.clear();
      device.stop();
      assertEquals(
          List.of("disable " + n + "/c#2", "disable " + n + "/b#1", "disable " + n + "/a#0"), events);
      assertEquals(1, listener.failures.size());
      assertSame(device.getInterrupts("b").get(0), listener.failures.get(0).interrupt());
      assertEquals("OnInterruptDisable", listener.failures.get(0).callback());
      assertSame(boom, listener.failures.get(0).failure());
      assertEquals(1, device.getInterrupts("b").get(0).getStatistics().callbackFailures());
      for (String name : List.of("a", "b", "c")) {
        assertFalse(hardware.interrupt(name).isConnected(), name + " left connected");
      }
      assertFalse(device.isStarted());
      device.start(); // a failed disable does not keep the device from starting again
      assertTrue(device.isStarted());
    }
  }

  @Test
  void surpriseRemovalSkipsDisableCallbacksAndTheDeviceCannotRestart() {
    SimulatedHardware hardware = SimulatedHardware.builder().edge("a").edge("b").build();
    try (DeviceNode device = TestSupport.device(hardware, recorded("a"), recorded("b"))) {
      device.start();
      events.clear();
      device.surpriseRemove();
      assertEquals(List.of(), events);
      assertFalse(device.isStarted());
      assertFalse(hardware.interrupt("a").isConnected());
      assertFalse(hardware.interrupt("b").isConnected());
      assertEquals(InterruptInfo.unassigned(0), device.getInterrupts().get(0).getInfo());
      IllegalStateException refused = assertThrows(IllegalStateException.class, device::start);
      assertInstanceOf(IllegalStateException.class, refused);
    }
  }
}
