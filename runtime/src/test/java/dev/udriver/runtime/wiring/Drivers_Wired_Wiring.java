package dev.udriver.runtime.wiring;

import dev.udriver.runtime.DriverWiring;
import dev.udriver.runtime.InterruptConfig;
import java.util.List;

/** What the processor would generate for {@link Drivers.Wired}. */
public final class Drivers_Wired_Wiring implements DriverWiring<Drivers.Wired> {
  @Override
  public Class<Drivers.Wired> driverType() {
    return Drivers.Wired.class;
  }

  @Override
  public List<InterruptConfig> interruptConfigs(Drivers.Wired driver) {
    return List.of(
        InterruptConfig.builder(
                "",
                (interrupt, messageId) -> {
                  driver.isrCalls.incrementAndGet();
                  return true;
                })
            .build());
  }
}
