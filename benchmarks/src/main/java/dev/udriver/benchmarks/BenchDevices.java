package dev.udriver.benchmarks;

import dev.udriver.runtime.DriverWiring;
import dev.udriver.runtime.InterruptConfig;
import java.util.List;

/** Hand-written wiring for benchmark devices whose ISR is a lambda. */
final class BenchDevices {
  private BenchDevices() {}

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
