package dev.udriver.runtime.hardware;

import java.util.List;
import java.util.Set;

/**
 * The hardware behind a device: which interrupt resources it requests under each interrupt name,
 * and which it is granted at start. Simulated hardware declares them in a test; Linux hardware reads
 * them from UIO, VFIO or a GPIO chip.
 */
public interface DeviceHardware {

  /** Interrupt names the hardware declares resources for, in declaration order. */
  Set<String> interruptNames();

  /**
   * How many interrupt objects to create for {@code name} when a driver is added: the resources the
   * device can request under it (one per MSI message it supports). 0 for an unknown name.
   */
  int requestedInterrupts(String name);

  /**
   * Prepare hardware: the resources granted under {@code name}, in order. May be fewer than
   * requested (a bus that grants 1 of 8 MSI messages); objects left without one stay unconnected.
   */
  List<GrantedInterrupt> assignInterrupts(String name);

  /** Release hardware: the granted resources are given back. */
  void releaseInterrupts();
}
