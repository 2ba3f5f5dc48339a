package dev.udriver.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the callback that enables one interrupt at the device: UMDF's {@code OnInterruptEnable}
 * ({@code WUDF_INTERRUPT_CONFIG.OnInterruptEnable}).
 *
 * <p>Accepted signatures (instance method, not private, not abstract, no type parameters; checked
 * exceptions allowed, a thrown exception is the failure):
 *
 * <pre>{@code
 * void enable(Interrupt interrupt)
 * void enable(Interrupt interrupt, Device device)
 * }</pre>
 *
 * <p>The runtime calls it on every D0 entry, after the interrupt is connected, in creation order,
 * with the interrupt lock held, and when the driver calls {@code Interrupt.enable()}. A failure stops
 * the device start: what was enabled is disabled again in reverse order and the start fails with an
 * exception that names the interrupt.
 *
 * <p>The processor checks: the signature; that an ISR of the same name exists; that a matching
 * {@link OnInterruptDisable} exists (enable and disable come in pairs); one per interrupt name.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface OnInterruptEnable {
  /** Name of the interrupt; {@code ""} names the driver's only interrupt. */
  String value() default "";
}
