package dev.udriver.runtime.linux;

import static dev.udriver.runtime.linux.LinuxTestSupport.assumeLinux;
import static dev.udriver.runtime.linux.LinuxTestSupport.await;
import static dev.udriver.runtime.linux.LinuxTestSupport.uniqueName;
import static dev.udriver.runtime.linux.LinuxTestSupport.wiring;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.udriver.runtime.DeviceNode;
import dev.udriver.runtime.Interrupt;
import dev.udriver.runtime.InterruptConfig;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** gpio_v2_line_event records through a pipe: timestamps, sequence numbers and missed edges. */
class GpioStandInTest {

  record Seen(long timestamp, boolean rising, int offset, int seqno, int lineSeqno, long missed) {}

  @BeforeEach
  void linuxOnly() {
    assumeLinux();
  }

  @Test
  void eventsReachTheIsrWithKernelMetadataAndGapsAreMissedEdges() throws Exception {
    List<Seen> seen = new CopyOnWriteArrayList<>();
    try (GpioStandIn line = GpioStandIn.create("buttons", 4, 17)) {
      GpioLineEvents events = line.hardware().events("buttons");
      InterruptConfig config =
          InterruptConfig.builder(
                  "buttons",
                  (interrupt, id) -> {
                    while (events.next()) {
                      seen.add(
                          new Seen(
                              events.timestampNanos(), events.rising(), events.offset(),
                              events.seqno(), events.lineSeqno(), events.missedBefore()));
                    }
                    return true;
                  })
              .build();
      try (DeviceNode device = DeviceNode.create(uniqueName("gpio"), line.hardware())) {
        device.addDriver(new Object(), wiring(config));
        device.start();
        Interrupt interrupt = device.getInterrupts().getFirst();
        line.edge(17, false, 1_000);
        line.edge(17, true, 2_000);
        line.edge(4, false, 3_000);
        line.dropOldest(3, 17); // the kernel FIFO overflowed: seqnos 4-6 never arrive
        line.edge(17, false, 7_000);
        await("4 events", () -> seen.size() == 4);
        assertEquals(new Seen(1_000, false, 17, 1, 1, 0), seen.get(0));
        assertEquals(new Seen(2_000, true, 17, 2, 2, 0), seen.get(1));
        assertEquals(new Seen(3_000, false, 4, 3, 1, 0), seen.get(2));
        assertEquals(new Seen(7_000, false, 17, 7, 6, 3), seen.get(3));
        assertEquals(3, events.missedEdges());
        assertEquals(4, interrupt.getStatistics().signals());
      }
    }
  }
}
