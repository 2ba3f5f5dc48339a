package dev.udriver.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * States that a driver helper method runs with the interrupt lock held by its caller: the Checker
 * Framework's {@code @Holding}, the kernel's {@code __must_hold}. Use it on helpers that touch state
 * shared with the ISR and are meant to be called from the ISR, the enable or disable callback, or a
 * locked region ({@code try (var held = interrupt.lock()) { ... }}).
 *
 * <pre>{@code
 * @HoldsInterruptLock
 * private int takeBytes(byte[] into) { ... }   // touches the ring buffer the ISR fills
 * }</pre>
 *
 * <p>The processor checks every call in the driver: the caller must be the ISR, the enable or
 * disable callback, another {@code @HoldsInterruptLock} method, or hold the lock on every path to the
 * call ({@code HOLDING_CONTRACT}). The body is checked as locked code: it may not acquire the lock
 * again ({@code INTERRUPT_LOCK_NO_RECURSION}), release it ({@code INTERRUPT_LOCK_STRICT_ALTERNATION}),
 * block ({@code LOCKED_REGION_NO_BLOCKING_OR_IO}) or call {@code enable()}/{@code disable()} ({@code
 * NO_DISABLE_OR_WAIT_UNDER_LOCK}). It is an error on a work item, which the framework calls without
 * the lock.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface HoldsInterruptLock {}
