package dev.udriver.runtime;

import dev.udriver.annotation.ShareVector;
import java.util.Objects;

/**
 * The configuration of one interrupt: udriver's {@code WUDF_INTERRUPT_CONFIG}. {@link
 * Device#createInterrupt(InterruptConfig)} creates interrupt objects from it.
 *
 * <p>Drivers written with the annotations never build one by hand: the processor generates a {@link
 * DriverWiring} that builds one per interrupt name, with callbacks that call the driver's annotated
 * methods directly. Hand-written drivers build them with {@link #builder(String, Isr)}.
 *
 * <p>Fields, against {@code WUDF_INTERRUPT_CONFIG_INIT}: the ISR is required (WDF rejects a null
 * {@code OnInterruptIsr}); the work item, enable and disable callbacks are optional; {@link
 * #shareVector()} defaults to {@link ShareVector#USE_DEFAULT}; {@link #automaticSerialization()} to
 * {@code false}. {@code Size} has no Java counterpart; {@code InterruptRaw}/{@code
 * InterruptTranslated} are replaced by the resources the device assigns at start. udriver adds the
 * {@link #lockGroup()} (KMDF's shared {@code WaitLock}) and the {@link #policy()} a UMDF driver sets
 * with {@code SetExtendedPolicy} right after creation.
 *
 * <p>Instances are immutable.
 */
public final class InterruptConfig {

  /** {@code OnInterruptIsr}: services the interrupt with the interrupt lock held. */
  @FunctionalInterface
  public interface Isr {
    /**
     * Services one interrupt.
     *
     * @param interrupt the interrupt object
     * @param messageId the MSI message number, 0 for a line-based interrupt
     * @return true when the device raised the interrupt and the ISR stopped and acknowledged it
     */
    boolean onInterruptIsr(Interrupt interrupt, int messageId);
  }

  /** {@code OnInterruptWorkItem}: deferred handling, without the interrupt lock. */
  @FunctionalInterface
  public interface WorkItem {
    /**
     * Runs the deferred part of interrupt handling.
     *
     * @param interrupt the interrupt object whose ISR queued the work item
     * @param associatedObject the device that owns the interrupt
     */
    void onInterruptWorkItem(Interrupt interrupt, Device associatedObject);
  }

  /** {@code OnInterruptEnable}: enables the interrupt at the device, with the interrupt lock held. */
  @FunctionalInterface
  public interface Enable {
    /**
     * Enables the interrupt at the device.
     *
     * @throws Exception when the device could not be enabled; the device start then fails
     */
    void onInterruptEnable(Interrupt interrupt, Device device) throws Exception;
  }

  /** {@code OnInterruptDisable}: disables the interrupt at the device, with the interrupt lock held. */
  @FunctionalInterface
  public interface Disable {
    /**
     * Disables the interrupt at the device.
     *
     * @throws Exception when the device could not be disabled; reported, teardown continues
     */
    void onInterruptDisable(Interrupt interrupt, Device device) throws Exception;
  }

  private final String name;
  private final Isr isr;
  private final WorkItem workItem;
  private final Enable enable;
  private final Disable disable;
  private final ShareVector shareVector;
  private final boolean automaticSerialization;
  private final String lockGroup;
  private final ExtendedPolicy policy;

  private InterruptConfig(Builder builder) {
    this.name = builder.name;
    this.isr = builder.isr;
    this.workItem = builder.workItem;
    this.enable = builder.enable;
    this.disable = builder.disable;
    this.shareVector = builder.shareVector;
    this.automaticSerialization = builder.automaticSerialization;
    this.lockGroup = builder.lockGroup;
    this.policy = builder.policy;
  }

  /**
   * Starts a configuration, as {@code WUDF_INTERRUPT_CONFIG_INIT} does.
   *
   * @param name the interrupt name; {@code ""} names a driver's only interrupt
   * @param isr the interrupt service routine, required
   */
  public static Builder builder(String name, Isr isr) {
    return new Builder(name, isr);
  }

  /** The interrupt name; {@code ""} for a driver's only interrupt. */
  public String name() {
    return name;
  }

  public Isr isr() {
    return isr;
  }

  /** The work item callback, or null when the interrupt has none. */
  public WorkItem workItem() {
    return workItem;
  }

  /** The enable callback, or null (enabling is then a successful no-op). */
  public Enable enable() {
    return enable;
  }

  /** The disable callback, or null (disabling is then a successful no-op). */
  public Disable disable() {
    return disable;
  }

  public ShareVector shareVector() {
    return shareVector;
  }

  /**
   * Whether the work item runs holding the device's lock ({@link Device#acquireLock()}), so that
   * driver code taking that lock on any thread never runs alongside it (WDF's automatic
   * serialization with the device's synchronization scope).
   */
  public boolean automaticSerialization() {
    return automaticSerialization;
  }

  /** The lock group; {@code ""} when the interrupt has a lock of its own. */
  public String lockGroup() {
    return lockGroup;
  }

  /** The policy applied at creation, or null when the driver set none (WDF then applies none). */
  public ExtendedPolicy policy() {
    return policy;
  }

  @Override
  public String toString() {
    return "InterruptConfig[name=" + name
        + ", workItem=" + (workItem != null)
        + ", enable=" + (enable != null)
        + ", disable=" + (disable != null)
        + ", shareVector=" + shareVector
        + ", automaticSerialization=" + automaticSerialization
        + ", lockGroup=" + lockGroup
        + ", policy=" + policy + "]";
  }

  /** Builds an {@link InterruptConfig}. */
  public static final class Builder {
    private final String name;
    private final Isr isr;
    private WorkItem workItem;
    private Enable enable;
    private Disable disable;
    private ShareVector shareVector = ShareVector.USE_DEFAULT;
    private boolean automaticSerialization;
    private String lockGroup = "";
    private ExtendedPolicy policy;

    private Builder(String name, Isr isr) {
      this.name = Objects.requireNonNull(name, "name");
      this.isr = Objects.requireNonNull(isr, () -> "interrupt '" + name + "': OnInterruptIsr is required");
    }

    public Builder workItem(WorkItem workItem) {
      this.workItem = Objects.requireNonNull(workItem, "workItem");
      return this;
    }

    public Builder enable(Enable enable) {
      this.enable = Objects.requireNonNull(enable, "enable");
      return this;
    }

    public Builder disable(Disable disable) {
      this.disable = Objects.requireNonNull(disable, "disable");
      return this;
    }

    public Builder shareVector(ShareVector shareVector) {
      this.shareVector = Objects.requireNonNull(shareVector, "shareVector");
      return this;
    }

    public Builder automaticSerialization(boolean automaticSerialization) {
      this.automaticSerialization = automaticSerialization;
      return this;
    }

    public Builder lockGroup(String lockGroup) {
      this.lockGroup = Objects.requireNonNull(lockGroup, "lockGroup");
      return this;
    }

    public Builder policy(ExtendedPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    public InterruptConfig build() {
      return new InterruptConfig(this);
    }
  }
}
