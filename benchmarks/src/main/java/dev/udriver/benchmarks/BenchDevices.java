package dev.udriver.benchmarks;

import dev.udriver.runtime.DriverWiring;
import dev.udriver.runtime.InterruptConfig;
import dev.udriver.runtime.sim.SimulatedInterrupt;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

/** Hand-written wiring for benchmark devices whose ISR is a lambda. */
final class BenchDevices {
  private static final VarHandle COUNT = MethodHandles.arrayElementVarHandle(long[].class);

  private BenchDevices() {}

  /**
   * The always-pending MSI device of the throughput figures: its ISR counts the call in {@code
   * isrCalls[0]} (opaque, read by the measuring thread), queues its work item and fires its own
   * message again at once, so every fire is one ISR call and nothing coalesces away.
   */
  static DriverWiring<Object> refiring(SimulatedInterrupt queues, long[] isrCalls) {
    return wiring(
        InterruptConfig.builder(
                "q",
                (interrupt, messageId) -> {
                  COUNT.setOpaque(isrCalls, 0, (long) COUNT.getOpaque(isrCalls, 0) + 1);
                  interrupt.queueWorkItemForIsr();
                  queues.fire(messageId);
                  return true;
                })
            .workItem((interrupt, driver) -> {})
            .build());
  }

  static DriverWiring<Object> wiring(InterruptConfig config) {
    return new DriverWiring<>() {
      @Override
      public Class<Object> driverType() {
        return Object.class;
      }

      @Override
      public List<InterruptConfig> interruptConfigs(Object driver) {
        return List.of(config);
      }
    };
  }
}
