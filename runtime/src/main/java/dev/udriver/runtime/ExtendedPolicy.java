package dev.udriver.runtime;

import dev.udriver.annotation.AffinityPolicy;
import dev.udriver.annotation.InterruptPriority;
import java.util.Objects;

/**
 * Affinity and priority of an interrupt: {@code WDF_INTERRUPT_EXTENDED_POLICY}.
 *
 * <p>Validated on construction, where WDF traces a message, breaks into the debugger and ignores the
 * call: enums must be present, {@code group} must fit {@code GROUP_AFFINITY.Group} (0..65535), and
 * {@code targetProcessorSet} is non-zero exactly when the policy is {@link
 * AffinityPolicy#SPECIFIED_PROCESSORS}. WDF does not check the last rule; udriver does, because an
 * empty set cannot be served and a set without that policy would be silently ignored.
 *
 * @param policy the affinity policy
 * @param priority the priority
 * @param targetProcessorSet {@code GROUP_AFFINITY.Mask}: bit n = processor n of {@code group}
 * @param group {@code GROUP_AFFINITY.Group}
 */
public record ExtendedPolicy(
    AffinityPolicy policy, InterruptPriority priority, long targetProcessorSet, int group) {

  /** The policy WDF applies to an interrupt whose driver sets none. */
  public static final ExtendedPolicy MACHINE_DEFAULT =
      new ExtendedPolicy(AffinityPolicy.MACHINE_DEFAULT, InterruptPriority.NORMAL, 0L, 0);

  public ExtendedPolicy {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(priority, "priority");
    if (group < 0 || group > 0xFFFF) {
      throw new IllegalArgumentException("Group " + group + " is out of range 0..65535");
    }
    boolean specified = policy == AffinityPolicy.SPECIFIED_PROCESSORS;
    if (specified && targetProcessorSet == 0L) {
      throw new IllegalArgumentException(
          "Policy SPECIFIED_PROCESSORS needs a non-empty target processor set");
    }
    if (!specified && targetProcessorSet != 0L) {
      throw new IllegalArgumentException(
          "Target processor set 0x" + Long.toHexString(targetProcessorSet)
              + " is only meaningful with SPECIFIED_PROCESSORS, not " + policy);
    }
  }

  /** A policy without a processor set ({@code WdfInterruptSetPolicy} with a zero mask). */
  public static ExtendedPolicy of(AffinityPolicy policy, InterruptPriority priority) {
    return new ExtendedPolicy(policy, priority, 0L, 0);
  }

  /** {@link AffinityPolicy#SPECIFIED_PROCESSORS} on the given processors of group 0. */
  public static ExtendedPolicy specifiedProcessors(InterruptPriority priority, int... processors) {
    return new ExtendedPolicy(
        AffinityPolicy.SPECIFIED_PROCESSORS, priority, processorMask(processors), 0);
  }

  /** The {@code KAFFINITY} mask of a set of processor numbers 0..63. */
  public static long processorMask(int... processors) {
    long mask = 0L;
    for (int processor : processors) {
      if (processor < 0 || processor > 63) {
        throw new IllegalArgumentException("Processor " + processor + " is out of range 0..63");
      }
      mask |= 1L << processor;
    }
    return mask;
  }
}
