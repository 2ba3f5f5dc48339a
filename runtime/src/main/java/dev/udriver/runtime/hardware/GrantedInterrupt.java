package dev.udriver.runtime.hardware;

import java.util.Objects;

/** A resource granted to the device at start, with the source that raises its interrupts. */
public record GrantedInterrupt(InterruptResource resource, InterruptSource source) {
  public GrantedInterrupt {
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(source, "source");
  }
}
