package dev.udriver.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * States that a method never blocks, so that the ISR and locked regions may call it. Linux calls
 * such functions "isr-ok"; Zephyr lists them per API.
 *
 * <pre>{@code
 * @IsrSafe
 * private void pushToRing(byte value) { ... }
 * }</pre>
 *
 * <p>At call sites the processor trusts the statement: a call to an {@code @IsrSafe} method is never
 * reported as blocking, even when its body is out of the processor's sight (a method of another
 * class). Where the body is in the driver, the processor checks it instead: a blocking call in it,
 * directly or through the driver's own helpers, is an error at that call ({@code
 * ISR_SAFE_CONTRACT}), as is a method that is also {@link MayBlock @MayBlock}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.METHOD, ElementType.CONSTRUCTOR})
public @interface IsrSafe {}
