/**
 * The udriver DSL. A driver is a plain class whose methods carry {@link
 * dev.udriver.annotation.OnInterruptIsr}, {@link dev.udriver.annotation.OnInterruptWorkItem}, {@link
 * dev.udriver.annotation.OnInterruptEnable} and {@link dev.udriver.annotation.OnInterruptDisable}; the
 * udriver processor checks them when the driver compiles and generates the wiring that a UMDF driver
 * writes by hand in a {@code WUDF_INTERRUPT_CONFIG}. {@link dev.udriver.annotation.InterruptPolicy}
 * sets affinity and priority. The annotations are kept in class files so that tools reading them
 * later see what the processor saw.
 */
package dev.udriver.annotation;
