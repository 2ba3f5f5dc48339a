package dev.udriver.runtime;

import java.util.List;

/**
 * The device a driver serves, as its driver sees it: the part of {@code IWDFDevice3} that concerns
 * interrupts. The device is the associated object of every work item and the argument of enable and
 * disable callbacks.
 */
public interface Device {

  /** The device name. */
  String getName();

  /**
   * {@code IWDFDevice3::CreateInterrupt}: creates an interrupt object from a configuration. Allowed
   * only while a driver is being added to the device (WDF: {@code OnDeviceAdd}); otherwise throws
   * {@link IllegalStateException}. The object's message number is its creation index within the
   * device; it is connected only if the device assigns it a resource at start.
   */
  Interrupt createInterrupt(InterruptConfig config);

  /** The device's interrupt objects in creation order. */
  List<Interrupt> getInterrupts();
}
