package dev.udriver.runtime.linux;

import static dev.udriver.runtime.linux.LinuxTestSupport.assumeLinux;
import static dev.udriver.runtime.linux.LinuxTestSupport.await;
import static dev.udriver.runtime.linux.LinuxTestSupport.uniqueName;
import static dev.udriver.runtime.linux.LinuxTestSupport.wiring;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.udriver.runtime.DeviceNode;
import dev.udriver.runtime.Interrupt;
import dev.udriver.runtime.InterruptConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A descriptor that hangs up is dropped from the dispatcher's wait (it would make every wait return
 * at once), and the device's listener hears of it with the interrupt's name: the interrupt will
 * not fire again until it is reconnected. It used to go to the system logger only.
 */
class SourceHangUpTest {

  @Test
  void aHungUpSourceIsReportedToTheDeviceListenerWithTheInterruptsName() throws Exception {
    assumeLinux();
    LinuxTestSupport.Recording listener = new LinuxTestSupport.Recording();
    try (GpioStandIn line = GpioStandIn.create("button", 17)) {
      GpioLineEvents events = line.hardware().events("button");
      InterruptConfig config =
          InterruptConfig.builder(
                  "button",
                  (interrupt, id) -> {
                    while (events.next()) {
                      // consumed
                    }
                    return true;
                  })
              .build();
      try (DeviceNode device = DeviceNode.create(uniqueName("hangup"), line.hardware(), listener)) {
        device.addDriver(new Object(), wiring(config));
        device.start();
        Interrupt interrupt = device.getInterrupts().getFirst();
        line.edge(17, false);
        await("the edge's ISR", () -> interrupt.getStatistics().isrCalls() == 1);

        line.hangUp();
        await("the report", () -> !listener.warnings.isEmpty());
        List<String> warnings = listener.warnings;
        assertEquals(1, warnings.size(), warnings::toString);
        String warning = warnings.get(0);
        assertTrue(warning.contains(interrupt.toString()), warning);
        assertTrue(warning.contains("hang-up"), warning);
        assertTrue(warning.contains("until it is reconnected"), warning);
        device.stop(); // the dropped source is no longer watched: the stop still completes
      }
    }
  }
}
