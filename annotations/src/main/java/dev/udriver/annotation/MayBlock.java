package dev.udriver.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * States that a method may block: it waits, sleeps, performs I/O or takes a lock that other threads
 * hold for long. Put it on methods whose blocking the processor cannot see, for example a method of
 * a library interface whose implementations wait, or a helper that calls into native code.
 *
 * <pre>{@code
 * @MayBlock
 * void flushToDisk() { ... }
 * }</pre>
 *
 * <p>The processor treats every call to such a method as a blocking call: it is an error in the ISR
 * ({@code ISR_NO_BLOCKING}), in the enable and disable callbacks and while the interrupt lock is held
 * ({@code LOCKED_REGION_NO_BLOCKING_OR_IO}), directly or through the driver's own helper methods.
 * A method may not be both {@code @MayBlock} and {@link IsrSafe @IsrSafe} ({@code
 * ISR_SAFE_CONTRACT}).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.METHOD, ElementType.CONSTRUCTOR})
public @interface MayBlock {}
