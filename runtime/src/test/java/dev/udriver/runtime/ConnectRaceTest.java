package dev.udriver.runtime;

import static dev.udriver.runtime.TestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.udriver.runtime.hardware.DeviceHardware;
import dev.udriver.runtime.hardware.GrantedInterrupt;
import dev.udriver.runtime.hardware.InterruptResource;
import dev.udriver.runtime.hardware.InterruptSink;
import dev.udriver.runtime.hardware.InterruptSource;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A source that interrupts the moment it is connected, before the enable callback runs: the
 * interrupt must be served once the object is enabled, never dropped as if it were spurious.
 */
class ConnectRaceTest {

  /** Hardware with one level line that is asserted at connect and stays so until cleared. */
  private static final class EagerLevelHardware implements DeviceHardware {
    final AtomicReference<Interrupt> interrupt = new AtomicReference<>();
    final AtomicReference<String> dispatcherName = new AtomicReference<>();
    volatile boolean asserted = true;

    @Override
    public Set<String> interruptNames() {
      return Set.of("l");
    }

    @Override
    public int requestedInterrupts(String name) {
      return 1;
    }

    @Override
    public List<GrantedInterrupt> assignInterrupts(String name) {
      InterruptResource line = new InterruptResource.Line(InterruptResource.Trigger.LEVEL, false, 40, 0L);
      return List.of(new GrantedInterrupt(line, new InterruptSource() {
        private volatile InterruptSink sink;

        @Override
        public void connect(InterruptSink sink) {
          this.sink = sink;
          sink.signal(1);
          // Let the dispatcher take the signal and get as far as it can before the runtime goes on
          // to run the enable callback: blocked on the interrupt lock, or back to idle.
          Interrupt object = interrupt.get();
          await("the dispatcher to take the signal", () -> object.getStatistics().signals() >= 1);
          Thread dispatcher = TestSupport.liveThreadsNamed(dispatcherName.get()).get(0);
          await("the dispatcher to stop running", () -> dispatcher.getState() != Thread.State.RUNNABLE);
        }

        @Override
        public void disconnect() {
          sink = null;
        }

        @Override
        public void afterIsr(boolean claimed) {
          InterruptSink current = sink;
          if (asserted && current != null) {
            current.signal(1);
          }
        }
      }));
    }

    @Override
    public void releaseInterrupts() {}
  }

  @Test
  void levelInterruptRaisedAtConnectIsServedAfterEnable() {
    EagerLevelHardware hardware = new EagerLevelHardware();
    AtomicInteger isrCalls = new AtomicInteger();
    InterruptConfig config =
        InterruptConfig.builder(
                "l",
                (interrupt, id) -> {
                  isrCalls.incrementAndGet();
                  hardware.asserted = false;
                  return true;
                })
            .enable((interrupt, device) -> {})
            .disable((interrupt, device) -> {})
            .build();
    try (DeviceNode device = DeviceNode.create(TestSupport.uniqueName("eager"), hardware)) {
      device.addDriver(new Object(), TestSupport.wiring(config));
      hardware.interrupt.set(device.getInterrupts().get(0));
      hardware.dispatcherName.set("udriver-isr-" + device.getName());
      device.start();
      await("the ISR for the line asserted at connect", () -> isrCalls.get() == 1);
      // The statistics count the call once the ISR returned and the dispatcher finished with it.
      Interrupt line = device.getInterrupts().get(0);
      await("the call counted", () -> line.getStatistics().isrCalls() >= 1);
      assertEquals(1, line.getStatistics().isrCalls());
      assertEquals(1, isrCalls.get());
    }
  }
}
