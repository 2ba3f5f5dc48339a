package dev.udriver.runtime;

import java.util.List;

/** Wiring built by hand for tests whose driver is a plain object: what the processor generates. */
public final class HandWiring {

  private HandWiring() {}

  /** A driver of type {@code Object} with these interrupt configurations, in creation order. */
  public static DriverWiring<Object> of(InterruptConfig... configs) {
    List<InterruptConfig> list = List.of(configs);
    return new DriverWiring<>() {
      @Override
      public Class<Object> driverType() {
        return Object.class;
      }

      @Override
      public List<InterruptConfig> interruptConfigs(Object driver) {
        return list;
      }
    };
  }
}
