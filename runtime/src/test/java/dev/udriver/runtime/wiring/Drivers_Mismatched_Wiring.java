package dev.udriver.runtime.wiring;

import dev.udriver.runtime.DriverWiring;
import dev.udriver.runtime.InterruptConfig;
import java.util.List;

/** Wires the wrong driver class. */
public final class Drivers_Mismatched_Wiring implements DriverWiring<Drivers.Wired> {
  @Override
  public Class<Drivers.Wired> driverType() {
    return Drivers.Wired.class;
  }

  @Override
  public List<InterruptConfig> interruptConfigs(Drivers.Wired driver) {
    return List.of();
  }
}
