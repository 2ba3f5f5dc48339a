package dev.udriver.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Affinity and priority of an interrupt: what a UMDF driver sets with
 * {@code IWDFInterrupt::SetPolicy} / {@code SetExtendedPolicy} right after creating the interrupt.
 * On a driver class it is the default for all of the driver's interrupts; on an ISR method it
 * applies to that interrupt and replaces the class default entirely.
 *
 * <p>The generated wiring applies the policy when the interrupt object is created; the runtime uses
 * it when resources are assigned: the affinity decides which dispatcher thread serves the interrupt
 * (and, on Linux, the CPUs that thread may run on), the priority orders pending interrupts on a
 * dispatcher.
 *
 * <p>The processor checks: {@link #processors()} is non-empty exactly when {@link #policy()} is
 * {@link AffinityPolicy#SPECIFIED_PROCESSORS}; each processor is in 0..63 (one {@code KAFFINITY}
 * mask) and appears once; {@link #group()} is not negative; on a method, the annotation sits on an
 * ISR.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface InterruptPolicy {
  /** The affinity policy: {@code WDF_INTERRUPT_POLICY}. */
  AffinityPolicy policy() default AffinityPolicy.MACHINE_DEFAULT;

  /** The priority: {@code WDF_INTERRUPT_PRIORITY}. */
  InterruptPriority priority() default InterruptPriority.NORMAL;

  /**
   * The target processor set, as processor numbers 0..63 within {@link #group()}: the bits of
   * {@code GROUP_AFFINITY.Mask}. Only with {@link AffinityPolicy#SPECIFIED_PROCESSORS}.
   */
  int[] processors() default {};

  /** The processor group: {@code GROUP_AFFINITY.Group}. */
  int group() default 0;
}
