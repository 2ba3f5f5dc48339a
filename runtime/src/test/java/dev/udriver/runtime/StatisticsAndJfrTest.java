package dev.udriver.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.udriver.runtime.sim.SimulatedHardware;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/** Statistics read while running, and Flight Recorder events for ISRs and work items. */
class StatisticsAndJfrTest {

  @Test
  void statisticsCountAndTimeWithoutStoppingAnything() {
    SimulatedHardware hardware = SimulatedHardware.builder().edge("rx").build();
    try (DeviceNode device =
        TestSupport.device(
            hardware,
            InterruptConfig.builder("rx", (i, id) -> i.queueWorkItemForIsr()).workItem((i, d) -> {}).build())) {
      device.start();
      Interrupt rx = device.getInterrupts().get(0);
      for (int n = 0; n < 50; n++) {
        hardware.interrupt("rx").fire();
        long calls = n + 1;
        TestSupport.await("ISR " + calls, () -> rx.getStatistics().signals() == calls);
      }
      TestSupport.await("work items", () -> rx.getStatistics().workItemsRun() == rx.getStatistics().workItemsQueued());
      InterruptStatistics stats = rx.getStatistics();
      assertEquals(50, stats.isrCalls() + stats.coalesced());
      assertEquals(stats.isrCalls(), stats.isrTime().count());
      assertTrue(stats.maxIsrNanos() > 0);
      assertEquals(stats.workItemsRun(), stats.workItemLatency().count());
      assertTrue(stats.isrTime().quantileUpperBoundNanos(0.5) <= stats.maxIsrNanos());
    }
  }

  @Test
  void isrAndWorkItemExecutionsAreRecordedByFlightRecorder() throws Exception {
    SimulatedHardware hardware = SimulatedHardware.builder().edge("rx").build();
    Path file = Files.createTempFile("udriver", ".jfr");
    try (DeviceNode device =
            TestSupport.device(
                hardware,
                InterruptConfig.builder("rx", (i, id) -> i.queueWorkItemForIsr()).workItem((i, d) -> {}).build());
        Recording recording = new Recording()) {
      recording.enable("dev.udriver.Isr");
      recording.enable("dev.udriver.WorkItem");
      recording.start();
      device.start();
      hardware.interrupt("rx").fire();
      Interrupt rx = device.getInterrupts().get(0);
      TestSupport.await("work item", () -> rx.getStatistics().workItemsRun() == 1);
      recording.stop();
      recording.dump(file);
      List<RecordedEvent> events = RecordingFile.readAllEvents(file);
      assertTrue(events.stream().anyMatch(e -> e.getEventType().getName().equals("dev.udriver.Isr")
          && e.getString("interrupt").equals(rx.toString()) && e.getBoolean("claimed")), events.toString());
      assertTrue(events.stream().anyMatch(e -> e.getEventType().getName().equals("dev.udriver.WorkItem")));
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
