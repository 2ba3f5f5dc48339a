package dev.udriver.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the callback that disables one interrupt at the device: UMDF's {@code OnInterruptDisable}
 * ({@code WUDF_INTERRUPT_CONFIG.OnInterruptDisable}).
 *
 * <p>Accepted signatures (instance method, not private, not abstract, no type parameters; checked
 * exceptions allowed, a thrown exception is the failure):
 *
 * <pre>{@code
 * void disable(Interrupt interrupt)
 * void disable(Interrupt interrupt, Device device)
 * }</pre>
 *
 * <p>The runtime calls it on every D0 exit, in reverse creation order, with the interrupt lock held,
 * for interrupts that were enabled, and when the driver calls {@code Interrupt.disable()}. A failure
 * is reported and teardown continues. After surprise removal it is not called: the hardware may be
 * gone.
 *
 * <p>The processor checks: the signature; that an ISR of the same name exists; that a matching
 * {@link OnInterruptEnable} exists; one per interrupt name.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface OnInterruptDisable {
  /** Name of the interrupt; {@code ""} names the driver's only interrupt. */
  String value() default "";
}
