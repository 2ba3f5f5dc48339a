package dev.udriver.runtime;

import static dev.udriver.runtime.TestSupport.await;
import static dev.udriver.runtime.TestSupport.liveThreadsNamed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.udriver.runtime.sim.SimulatedHardware;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** DeviceNode.close(): stops the device and ends its dispatcher and worker threads. */
class DeviceCloseTest {

  private final List<String> events = new CopyOnWriteArrayList<>();
  private final AtomicInteger workRuns = new AtomicInteger();

  private DeviceNode startedDevice(SimulatedHardware hardware) {
    InterruptConfig config =
        InterruptConfig.builder("a", TestSupport.queueWorkItem())
            .workItem((interrupt, device) -> workRuns.incrementAndGet())
            .enable((interrupt, device) -> events.add("enable"))
            .disable((interrupt, device) -> events.add("disable"))
            .build();
    DeviceNode device = TestSupport.device(hardware, config);
    device.start();
    return device;
  }

  @Test
  void closeEndsTheDispatcherAndWorkerThreads() {
    SimulatedHardware hardware = SimulatedHardware.builder().edge("a").build();
    DeviceNode device = startedDevice(hardware);
    String isr = "udriver-isr-" + device.getName();
    String work = "udriver-work-" + device.getName();
    hardware.interrupt("a").fire();
    await("the work item", () -> workRuns.get() == 1);
    assertEquals(1, liveThreadsNamed(isr).size(), "one dispatcher thread while started");
    assertEquals(1, liveThreadsNamed(work).size(), "one worker thread while started");

    device.close();
    assertEquals(List.of(), liveThreadsNamed(isr));
    assertEquals(List.of(), liveThreadsNamed(work));
    assertEquals(List.of("enable", "disable"), events, "close stops a started device");
    assertFalse(device.isStarted());
    assertFalse(hardware.interrupt("a").isConnected());

    device.close(); // idempotent
    assertEquals(List.of("enable", "disable"), events);
    assertThrows(IllegalStateException.class, device::start);
  }

  @Test
  void stopAndStartKeepTheSameThreadsAndCloseEndsThem() {
    SimulatedHardware hardware = SimulatedHardware.builder().edge("a").build();
    DeviceNode device = startedDevice(hardware);
    String isr = "udriver-isr-" + device.getName();
    List<Thread> before = liveThreadsNamed(isr);
    device.stop();
    device.start();
    assertEquals(before, liveThreadsNamed(isr), "a restart started another dispatcher");
    device.close();
    assertEquals(List.of(), liveThreadsNamed(isr));
    assertEquals(List.of(), liveThreadsNamed("udriver-work-" + device.getName()));
  }

  @Test
  void closingANeverStartedDeviceLeavesNoThread() {
    SimulatedHardware hardware = SimulatedHardware.builder().edge("a").build();
    DeviceNode device =
        TestSupport.device(hardware, InterruptConfig.builder("a", TestSupport.claim()).build());
    device.close();
    assertEquals(List.of(), liveThreadsNamed("udriver-isr-" + device.getName()));
    assertEquals(List.of(), liveThreadsNamed("udriver-work-" + device.getName()));
    assertThrows(IllegalStateException.class, device::start);
  }

  @Test
  void closingOneDeviceLeavesAnothersThreadsRunning() {
    SimulatedHardware first = SimulatedHardware.builder().edge("a").build();
    SimulatedHardware second = SimulatedHardware.builder().edge("a").build();
    DeviceNode one = startedDevice(first);
    try (DeviceNode two = startedDevice(second)) {
      one.close();
      assertEquals(1, liveThreadsNamed("udriver-isr-" + two.getName()).size());
      second.interrupt("a").fire();
      await("the other device still serves", () -> workRuns.get() == 1);
    }
  }

  @Test
  void closeAfterSurpriseRemovalEndsTheThreadsWithoutDisableCallbacks() {
    SimulatedHardware hardware = SimulatedHardware.builder().edge("a").build();
    DeviceNode device = startedDevice(hardware);
    device.surpriseRemove();
    device.close();
    assertEquals(List.of("enable"), events);
    assertEquals(List.of(), liveThreadsNamed("udriver-isr-" + device.getName()));
    assertEquals(List.of(), liveThreadsNamed("udriver-work-" + device.getName()));
  }
}
