package dev.udriver.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the work item of one interrupt: UMDF's {@code OnInterruptWorkItem}
 * ({@code WUDF_INTERRUPT_CONFIG.OnInterruptWorkItem}), the deferred part of interrupt handling.
 *
 * <p>Accepted signatures (instance method, not private, not abstract, no type parameters, no checked
 * exceptions):
 *
 * <pre>{@code
 * void workItem()
 * void workItem(Interrupt interrupt)
 * void workItem(Interrupt interrupt, Device associatedObject)
 * }</pre>
 *
 * <p>The ISR queues it with {@code Interrupt.queueWorkItemForIsr()}; queue requests made while it is
 * queued and not yet started coalesce into one run, so it must drain everything the ISR saved. It
 * runs on a worker thread without the interrupt lock (it takes the lock itself to touch state shared
 * with the ISR), with the device as its associated object.
 *
 * <p>The processor checks: the signature; that an ISR of the same name exists; at most one work item
 * per interrupt name; at most one role annotation per method.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface OnInterruptWorkItem {
  /** Name of the interrupt; {@code ""} names the driver's only interrupt. */
  String value() default "";
}
