package dev.udriver.runtime.wiring;

import dev.udriver.runtime.DriverWiring;
import dev.udriver.runtime.InterruptConfig;
import java.util.List;

/** Fails in its constructor. */
public final class Drivers_Exploding_Wiring implements DriverWiring<Drivers.Exploding> {
  public Drivers_Exploding_Wiring() {
    throw new IllegalStateException("static setup failed");
  }

  @Override
  public Class<Drivers.Exploding> driverType() {
    return Drivers.Exploding.class;
  }

  @Override
  public List<InterruptConfig> interruptConfigs(Drivers.Exploding driver) {
    return List.of();
  }
}
