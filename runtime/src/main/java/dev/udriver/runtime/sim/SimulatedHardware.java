package dev.udriver.runtime.sim;

import dev.udriver.runtime.hardware.DeviceHardware;
import dev.udriver.runtime.hardware.GrantedInterrupt;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hardware for tests and demos: interrupt resources declared by name, assigned when the device
 * starts, raised from any thread through {@link #interrupt(String)}.
 *
 * <pre>{@code
 * SimulatedHardware hardware = SimulatedHardware.builder()
 *     .edge("rx")                 // one edge-triggered line
 *     .level("status")            // one level-triggered line
 *     .msi("queues", 8, 2)        // requests 8 MSI messages, the bus grants 2
 *     .build();
 * hardware.interrupt("rx").fire();
 * }</pre>
 */
public final class SimulatedHardware implements DeviceHardware {

  private static final int FIRST_VECTOR = 32;

  private final Map<String, SimulatedInterrupt> interrupts;

  private SimulatedHardware(Map<String, SimulatedInterrupt> interrupts) {
    this.interrupts = Collections.unmodifiableMap(new LinkedHashMap<>(interrupts));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The controls of the interrupt declared as {@code name}. */
  public SimulatedInterrupt interrupt(String name) {
    SimulatedInterrupt interrupt = interrupts.get(name);
    if (interrupt == null) {
      throw new IllegalArgumentException(
          "no simulated interrupt '" + name + "'; declared: " + interrupts.keySet());
    }
    return interrupt;
  }

  @Override
  public Set<String> interruptNames() {
    return interrupts.keySet();
  }

  @Override
  public int requestedInterrupts(String name) {
    SimulatedInterrupt interrupt = interrupts.get(name);
    return interrupt == null ? 0 : interrupt.requested();
  }

  @Override
  public List<GrantedInterrupt> assignInterrupts(String name) {
    int vector = FIRST_VECTOR;
    for (SimulatedInterrupt interrupt : interrupts.values()) {
      if (interrupt.name().equals(name)) {
        return interrupt.grant(vector);
      }
      vector += interrupt.requested();
    }
    return List.of();
  }

  @Override
  public void releaseInterrupts() {
    // Nothing is held: sources are disconnected by the runtime before release.
  }

  /** Declares the interrupt resources of simulated hardware. */
  public static final class Builder {
    private final Map<String, SimulatedInterrupt> interrupts = new LinkedHashMap<>();

    private Builder() {}

    /** An exclusive edge-triggered line. */
    public Builder edge(String name) {
      return add(new SimulatedInterrupt(name, SimulatedInterrupt.Kind.EDGE, false, 1, 1));
    }

    /** An exclusive level-triggered line. */
    public Builder level(String name) {
      return add(new SimulatedInterrupt(name, SimulatedInterrupt.Kind.LEVEL, false, 1, 1));
    }

    /** A level-triggered line the bus lets other devices share. */
    public Builder sharedLevel(String name) {
      return add(new SimulatedInterrupt(name, SimulatedInterrupt.Kind.LEVEL, true, 1, 1));
    }

    /** MSI with {@code messages} messages, all granted. */
    public Builder msi(String name, int messages) {
      return msi(name, messages, messages);
    }

    /** MSI requesting {@code requested} messages of which the bus grants {@code granted}. */
    public Builder msi(String name, int requested, int granted) {
      return add(
          new SimulatedInterrupt(name, SimulatedInterrupt.Kind.MSI, false, requested, granted));
    }

    /** A line declared but not granted: its interrupt object exists and is never connected. */
    public Builder ungrantedEdge(String name) {
      return add(new SimulatedInterrupt(name, SimulatedInterrupt.Kind.EDGE, false, 1, 0));
    }

    private Builder add(SimulatedInterrupt interrupt) {
      if (interrupts.putIfAbsent(interrupt.name(), interrupt) != null) {
        throw new IllegalArgumentException("interrupt '" + interrupt.name() + "' declared twice");
      }
      return this;
    }

    public SimulatedHardware build() {
      return new SimulatedHardware(interrupts);
    }
  }
}
