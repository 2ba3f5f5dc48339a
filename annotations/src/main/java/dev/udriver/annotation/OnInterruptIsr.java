package dev.udriver.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the interrupt service routine of one interrupt of a driver: UMDF's {@code OnInterruptIsr}
 * ({@code WUDF_INTERRUPT_CONFIG.OnInterruptIsr}). Declaring it declares the interrupt; every
 * interrupt name has exactly one ISR.
 *
 * <p>Accepted signatures (instance method, not private, not abstract, no type parameters, no checked
 * exceptions):
 *
 * <pre>{@code
 * boolean isr(Interrupt interrupt)
 * boolean isr(Interrupt interrupt, int messageId)
 * }</pre>
 *
 * <p>The runtime calls it with the interrupt lock held, never concurrently with itself. It returns
 * {@code true} when the device raised the interrupt and the ISR stopped and acknowledged it
 * (claimed), {@code false} otherwise. {@code messageId} is the MSI message number, 0 for a line-based
 * interrupt. The ISR does not block: it reads and clears the device's status, saves what it needs and
 * defers the rest with {@code Interrupt.queueWorkItemForIsr()}.
 *
 * <p>The processor checks: the signature; one ISR per interrupt name; at most one role annotation
 * per method; that a {@link ShareVector#TRUE shareable} line is not given to an ISR that always
 * claims; and the interrupt-lock and context rules of the rule catalogue.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface OnInterruptIsr {
  /**
   * Name of the interrupt this ISR serves. The default, {@code ""}, names the driver's only
   * interrupt; a driver with several interrupts names each of them.
   */
  String value() default "";

  /**
   * Whether the interrupt line may be shared: {@code WUDF_INTERRUPT_CONFIG.ShareVector}. Edge and
   * MSI interrupts are never shared; a shareable level-triggered line needs an ISR that can decline.
   */
  ShareVector shareVector() default ShareVector.USE_DEFAULT;

  /**
   * Whether the work item runs under the device's callback lock, serialized with the driver's other
   * serialized callbacks: {@code WUDF_INTERRUPT_CONFIG.AutomaticSerialization}. It never serializes
   * the ISR.
   */
  boolean automaticSerialization() default false;

  /**
   * Interrupts that name the same lock group share one interrupt lock, so that their ISRs, enable
   * and disable callbacks never run at the same time (KMDF's shared {@code WaitLock}). The default,
   * {@code ""}, gives the interrupt a lock of its own.
   */
  String lockGroup() default "";
}
