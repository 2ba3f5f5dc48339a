/**
 * The udriver DSL. A driver is a plain class whose methods carry {@link
 * dev.udriver.annotation.OnInterruptIsr}, {@link dev.udriver.annotation.OnInterruptWorkItem}, {@link
 * dev.udriver.annotation.OnInterruptEnable} and {@link dev.udriver.annotation.OnInterruptDisable}; the
 * udriver processor checks them when the driver compiles and generates the wiring that a UMDF driver
 * writes by hand in a {@code WUDF_INTERRUPT_CONFIG}. {@link dev.udriver.annotation.InterruptPolicy}
 * sets affinity and priority. {@link dev.udriver.annotation.HoldsInterruptLock}, {@link
 * dev.udriver.annotation.MayBlock} and {@link dev.udriver.annotation.IsrSafe} state contracts of
 * helper methods that the processor checks at their call sites. The annotations are kept in class
 * files so that tools reading them later see what the processor saw.
 */
package dev.udriver.annotation;
