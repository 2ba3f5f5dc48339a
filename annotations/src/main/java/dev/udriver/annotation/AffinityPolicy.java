package dev.udriver.annotation;

/**
 * Which processors may serve an interrupt: WDF's {@code WDF_INTERRUPT_POLICY}. Constants keep WDF's
 * order, so {@link #ordinal()} equals the WDF value ({@code WdfIrqPolicyMachineDefault = 0} ...
 * {@code WdfIrqPolicySpreadMessagesAcrossAllProcessors = 5}).
 *
 * <p>In udriver a processor is served by a dispatcher thread; the runtime maps each policy onto the
 * dispatcher that serves the interrupt and, on Linux, onto that thread's CPU affinity.
 */
public enum AffinityPolicy {
  /** {@code WdfIrqPolicyMachineDefault}: the runtime chooses. */
  MACHINE_DEFAULT,
  /** {@code WdfIrqPolicyAllCloseProcessors}: any processor close to the device (all, without NUMA). */
  ALL_CLOSE_PROCESSORS,
  /** {@code WdfIrqPolicyOneCloseProcessor}: one processor close to the device. */
  ONE_CLOSE_PROCESSOR,
  /** {@code WdfIrqPolicyAllProcessorsInMachine}: any processor of the machine. */
  ALL_PROCESSORS_IN_MACHINE,
  /**
   * {@code WdfIrqPolicySpecifiedProcessors}: only the processors of {@link
   * InterruptPolicy#processors()}; the only policy that takes a processor set.
   */
  SPECIFIED_PROCESSORS,
  /** {@code WdfIrqPolicySpreadMessagesAcrossAllProcessors}: MSI messages spread over all processors. */
  SPREAD_MESSAGES_ACROSS_ALL_PROCESSORS
}
