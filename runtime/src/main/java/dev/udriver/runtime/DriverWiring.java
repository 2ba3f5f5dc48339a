package dev.udriver.runtime;

import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.Objects;

/**
 * The wiring of one driver class: the {@link InterruptConfig}s that a UMDF driver fills in by hand,
 * one per interrupt name, with callbacks that call the driver's annotated methods directly.
 *
 * <p>The udriver processor generates one implementation per driver class, named after it: driver
 * {@code com.acme.Uart} gets {@code com.acme.Uart_Wiring}; a nested driver {@code com.acme.Board.Uart}
 * gets {@code com.acme.Board_Uart_Wiring}. {@link #forDriverClass(Class)} finds it once, when a driver
 * is bound to a device; nothing on an interrupt's path uses reflection.
 *
 * @param <D> the driver class
 */
public interface DriverWiring<D> {

  /** Suffix of generated wiring class names. */
  String CLASS_NAME_SUFFIX = "_Wiring";

  /** The driver class this wiring serves. */
  Class<D> driverType();

  /** One configuration per interrupt name of {@code driver}, in declaration order. */
  List<InterruptConfig> interruptConfigs(D driver);

  /** The binary name of the wiring generated for a driver class. */
  static String wiringClassName(Class<?> driverType) {
    String packageName = driverType.getPackageName();
    String binaryName = driverType.getName();
    String simpleNames =
        packageName.isEmpty() ? binaryName : binaryName.substring(packageName.length() + 1);
    String flattened = simpleNames.replace('$', '_') + CLASS_NAME_SUFFIX;
    return packageName.isEmpty() ? flattened : packageName + "." + flattened;
  }

  /**
   * Finds and instantiates the wiring generated for {@code driverType}.
   *
   * @throws IllegalArgumentException when none was generated, naming the class looked for and the
   *     likely cause
   */
  @SuppressWarnings("unchecked")
  static <D> DriverWiring<D> forDriverClass(Class<D> driverType) {
    Objects.requireNonNull(driverType, "driverType");
    String name = wiringClassName(driverType);
    Class<?> wiringClass;
    try {
      wiringClass = Class.forName(name, true, driverType.getClassLoader());
    } catch (ClassNotFoundException e) {
      Class<?> wiredSuperclass = nearestWiredSuperclass(driverType);
      String hint =
          wiredSuperclass == null
              ? " Was the driver compiled with dev.udriver:udriver-processor on the annotation"
                  + " processor path, and does it declare an @OnInterruptIsr method?"
              : " Its superclass " + wiredSuperclass.getName() + " has one: bind a subclass without"
                  + " callbacks of its own (an anonymous subclass in a test, a spy) with that wiring,"
                  + " addDriver(driver, DriverWiring.forDriverClass("
                  + Objects.requireNonNullElse(wiredSuperclass.getCanonicalName(), wiredSuperclass.getName())
                  + ".class)); it calls the driver's methods virtually, so overrides run.";
      throw new IllegalArgumentException(
          "No wiring for driver " + driverType.getName() + ": class " + name + " not found." + hint, e);
    }
    if (!DriverWiring.class.isAssignableFrom(wiringClass)) {
      throw new IllegalArgumentException(name + " is not a " + DriverWiring.class.getName());
    }
    DriverWiring<?> wiring;
    try {
      wiring = (DriverWiring<?>) wiringClass.getDeclaredConstructor().newInstance();
    } catch (InvocationTargetException e) {
      throw new IllegalArgumentException("Wiring " + name + " failed to initialize", e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException("Wiring " + name + " cannot be instantiated", e);
    }
    if (wiring.driverType() != driverType) {
      throw new IllegalArgumentException(
          name + " wires " + wiring.driverType().getName() + ", not " + driverType.getName());
    }
    return (DriverWiring<D>) wiring;
  }

  /**
   * The nearest superclass of {@code driverType} that has a wiring, or null. Not used to bind a
   * subclass by itself: the udriver annotations are not kept at run time, so a subclass whose own
   * callbacks were never processed would silently lose them.
   */
  private static Class<?> nearestWiredSuperclass(Class<?> driverType) {
    for (Class<?> type = driverType.getSuperclass(); type != null && type != Object.class; type = type.getSuperclass()) {
      try {
        Class.forName(wiringClassName(type), false, type.getClassLoader());
        return type;
      } catch (ClassNotFoundException notThisOne) {
        // keep looking further up
      }
    }
    return null;
  }
}
