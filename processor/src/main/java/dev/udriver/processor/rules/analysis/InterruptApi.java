package dev.udriver.processor.rules.analysis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Name;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/**
 * The methods of {@code dev.udriver.runtime.Interrupt} (and its {@code HeldLock}) and the lock
 * methods of {@code dev.udriver.runtime.Device} (and its {@code HeldLock}) that the rules reason
 * about, resolved to {@link ExecutableElement}s once per analysis and compared as elements:
 * a call matches when its resolved callee is one of them or overrides one. Method names serve only
 * to find the candidate elements, never to match calls.
 */
public final class InterruptApi {

  /** The qualified name of the runtime's interrupt interface. */
  public static final String INTERRUPT = "dev.udriver.runtime.Interrupt";

  /** The qualified name of the runtime's device interface. */
  public static final String DEVICE = "dev.udriver.runtime.Device";

  /** What a call of the interrupt API does. */
  public enum Op {
    ACQUIRE("acquireInterruptLock()"),
    RELEASE("releaseInterruptLock()"),
    TRY_ACQUIRE("tryToAcquireInterruptLock()"),
    LOCK_HANDLE("lock()"),
    SYNCHRONIZE("synchronize(..)"),
    HANDLE_CLOSE("HeldLock.close()"),
    ENABLE("enable()"),
    DISABLE("disable()"),
    QUEUE_WORK_ITEM("queueWorkItemForIsr()"),
    SIGNALS_IN_THIS_CALL("signalsInThisCall()"),
    DEVICE_ACQUIRE("Device.acquireLock()"),
    DEVICE_RELEASE("Device.releaseLock()"),
    DEVICE_LOCK_HANDLE("Device.lock()"),
    DEVICE_SYNCHRONIZE("Device.synchronize(..)"),
    DEVICE_HANDLE_CLOSE("Device.HeldLock.close()");

    private final String display;

    Op(String display) {
      this.display = display;
    }

    /** How messages show the call. */
    public String display() {
      return display;
    }

    /** Whether the call waits for and takes the interrupt lock. */
    public boolean acquires() {
      return this == ACQUIRE || this == LOCK_HANDLE || this == SYNCHRONIZE;
    }

    /** Whether the call gives the interrupt lock back. */
    public boolean releases() {
      return this == RELEASE || this == HANDLE_CLOSE;
    }

    /** Whether the call works on the device lock rather than on an interrupt. */
    public boolean onDevice() {
      return acquiresDevice() || releasesDevice();
    }

    /** Whether the call waits for and takes the device lock. */
    public boolean acquiresDevice() {
      return this == DEVICE_ACQUIRE || this == DEVICE_LOCK_HANDLE || this == DEVICE_SYNCHRONIZE;
    }

    /** Whether the call gives the device lock back. */
    public boolean releasesDevice() {
      return this == DEVICE_RELEASE || this == DEVICE_HANDLE_CLOSE;
    }
  }

  private final Elements elements;
  /**
   * The candidates by simple name, keyed by the compiler's {@link Name}s (equal when their
   * characters are, within one compilation): looking up a call's name then builds no string, and
   * calls of other names, nearly all of them, miss at once.
   */
  private final Map<Name, List<Map.Entry<ExecutableElement, Op>>> byName = new HashMap<>();
  /** The getters of the interrupt and the device, which return a field and cannot throw. */
  private final Map<Name, List<ExecutableElement>> accessorsByName = new HashMap<>();

  private InterruptApi(Elements elements) {
    this.elements = elements;
  }

  /** The API as this compilation sees it; empty when the runtime is not on the class path. */
  public static Optional<InterruptApi> resolve(Elements elements) {
    TypeElement interrupt = elements.getTypeElement(INTERRUPT);
    if (interrupt == null) {
      return Optional.empty();
    }
    InterruptApi api = new InterruptApi(elements);
    api.add(interrupt, "acquireInterruptLock", Op.ACQUIRE);
    api.add(interrupt, "releaseInterruptLock", Op.RELEASE);
    api.add(interrupt, "tryToAcquireInterruptLock", Op.TRY_ACQUIRE);
    api.add(interrupt, "lock", Op.LOCK_HANDLE);
    api.add(interrupt, "synchronize", Op.SYNCHRONIZE);
    api.add(interrupt, "enable", Op.ENABLE);
    api.add(interrupt, "disable", Op.DISABLE);
    api.add(interrupt, "queueWorkItemForIsr", Op.QUEUE_WORK_ITEM);
    api.add(interrupt, "signalsInThisCall", Op.SIGNALS_IN_THIS_CALL);
    api.addAccessors(interrupt, "getName", "getDevice", "getInfo", "getStatistics");
    for (Element member : interrupt.getEnclosedElements()) {
      if (member instanceof TypeElement
          && member.getSimpleName().contentEquals("HeldLock")) {
        api.add((TypeElement) member, "close", Op.HANDLE_CLOSE);
      }
    }
    // A runtime without Device (or without its lock) leaves the device-lock rules nothing to match.
    TypeElement device = elements.getTypeElement(DEVICE);
    if (device != null) {
      api.add(device, "acquireLock", Op.DEVICE_ACQUIRE);
      api.add(device, "releaseLock", Op.DEVICE_RELEASE);
      api.add(device, "lock", Op.DEVICE_LOCK_HANDLE);
      api.add(device, "synchronize", Op.DEVICE_SYNCHRONIZE);
      api.addAccessors(device, "getName", "getInterrupts");
      for (Element member : device.getEnclosedElements()) {
        if (member instanceof TypeElement
            && member.getSimpleName().contentEquals("HeldLock")) {
          api.add((TypeElement) member, "close", Op.DEVICE_HANDLE_CLOSE);
        }
      }
    }
    return Optional.of(api);
  }

  private void add(TypeElement owner, String name, Op op) {
    for (Element member : owner.getEnclosedElements()) {
      if (member.getKind() == ElementKind.METHOD && member.getSimpleName().contentEquals(name)) {
        byName
            .computeIfAbsent(member.getSimpleName(), n -> new ArrayList<>())
            .add(Map.entry((ExecutableElement) member, op));
      }
    }
  }

  private void addAccessors(TypeElement owner, String... names) {
    for (Element member : owner.getEnclosedElements()) {
      if (member.getKind() == ElementKind.METHOD) {
        for (String name : names) {
          if (member.getSimpleName().contentEquals(name)) {
            accessorsByName
                .computeIfAbsent(member.getSimpleName(), n -> new ArrayList<>())
                .add((ExecutableElement) member);
          }
        }
      }
    }
  }

  /**
   * Whether {@code callee} is a getter of the interrupt or the device ({@code getDevice()}, {@code
   * getName()}, ..), which cannot throw: {@code interrupt.getDevice().releaseLock()} in a {@code
   * finally} block releases on every path.
   */
  boolean isAccessor(ExecutableElement callee) {
    List<ExecutableElement> candidates =
        callee == null ? null : accessorsByName.get(callee.getSimpleName());
    if (candidates == null) {
      return false;
    }
    for (ExecutableElement api : candidates) {
      if (api.equals(callee)
          || (callee.getEnclosingElement() instanceof TypeElement
              && elements.overrides(
                  callee, api, (TypeElement) callee.getEnclosingElement()))) {
        return true;
      }
    }
    return false;
  }

  /** What a call of {@code callee} does to the interrupt, if it is an interrupt API method. */
  public Optional<Op> op(ExecutableElement callee) {
    return Optional.ofNullable(opOrNull(callee));
  }

  /** What a call of {@code callee} does to the interrupt; null if it is no API method. */
  Op opOrNull(ExecutableElement callee) {
    if (callee == null) {
      return null;
    }
    List<Map.Entry<ExecutableElement, Op>> candidates = byName.get(callee.getSimpleName());
    if (candidates == null) {
      return null;
    }
    for (Map.Entry<ExecutableElement, Op> candidate : candidates) {
      ExecutableElement api = candidate.getKey();
      if (api.equals(callee)
          || (callee.getEnclosingElement() instanceof TypeElement
              && elements.overrides(
                  callee, api, (TypeElement) callee.getEnclosingElement()))) {
        return candidate.getValue();
      }
    }
    return null;
  }
}
