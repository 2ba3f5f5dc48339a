package dev.udriver.runtime.sim;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * A simulated memory-mapped register block of 32-bit registers, addressed by byte offset, with
 * device behaviour attached to reads and writes (write-one-to-clear status bits, read-to-pop FIFOs,
 * doorbells that raise interrupts). Accesses are volatile, as accesses to device memory are
 * uncached and ordered.
 */
public final class RegisterBlock {

  /** Device behaviour on a write: decides what the register holds afterwards. */
  @FunctionalInterface
  public interface WriteBehaviour {
    /**
     * @param registers the block, for side effects on other registers
     * @param current the register's value before the write
     * @param written the value the driver wrote
     * @return the register's value after the write
     */
    int onWrite(RegisterBlock registers, int current, int written);
  }

  /** Device behaviour on a read: what the driver sees (and any side effect of reading). */
  @FunctionalInterface
  public interface ReadBehaviour {
    int onRead(RegisterBlock registers, int current);
  }

  private static final VarHandle REGISTER = MethodHandles.arrayElementVarHandle(int[].class);

  private final int[] registers;
  private final WriteBehaviour[] writeBehaviours;
  private final ReadBehaviour[] readBehaviours;

  /** A block of {@code sizeBytes} bytes (a multiple of 4), all registers zero, no behaviour. */
  public RegisterBlock(int sizeBytes) {
    if (sizeBytes <= 0 || sizeBytes % 4 != 0) {
      throw new IllegalArgumentException("size must be a positive multiple of 4: " + sizeBytes);
    }
    registers = new int[sizeBytes / 4];
    writeBehaviours = new WriteBehaviour[registers.length];
    readBehaviours = new ReadBehaviour[registers.length];
  }

  /** Attaches write behaviour to the register at {@code offset}. */
  public RegisterBlock onWrite(int offset, WriteBehaviour behaviour) {
    writeBehaviours[index(offset)] = behaviour;
    return this;
  }

  /** Attaches read behaviour to the register at {@code offset}. */
  public RegisterBlock onRead(int offset, ReadBehaviour behaviour) {
    readBehaviours[index(offset)] = behaviour;
    return this;
  }

  /** A write-one-to-clear register: each 1 bit written clears that bit. */
  public static WriteBehaviour writeOneToClear() {
    return (registers, current, written) -> current & ~written;
  }

  /** What the driver reads at {@code offset}. */
  public int read32(int offset) {
    int index = index(offset);
    int current = (int) REGISTER.getVolatile(registers, index);
    ReadBehaviour behaviour = readBehaviours[index];
    return behaviour == null ? current : behaviour.onRead(this, current);
  }

  /** A driver's write at {@code offset}. */
  public void write32(int offset, int value) {
    int index = index(offset);
    WriteBehaviour behaviour = writeBehaviours[index];
    if (behaviour == null) {
      REGISTER.setVolatile(registers, index, value);
      return;
    }
    synchronized (this) { // behaviour is read-modify-write; device-side updates use the same lock
      int current = (int) REGISTER.getVolatile(registers, index);
      REGISTER.setVolatile(registers, index, behaviour.onWrite(this, current, value));
    }
  }

  /** The device side: sets a register without behaviour. */
  public void set(int offset, int value) {
    REGISTER.setVolatile(registers, index(offset), value);
  }

  /** The device side: atomically ORs bits into a register (a device raising status bits). */
  public synchronized void setBits(int offset, int bits) {
    int index = index(offset);
    REGISTER.setVolatile(registers, index, (int) REGISTER.getVolatile(registers, index) | bits);
  }

  /** The device side: the register's raw value, without read behaviour. */
  public int peek(int offset) {
    return (int) REGISTER.getVolatile(registers, index(offset));
  }

  public int sizeBytes() {
    return registers.length * 4;
  }

  private int index(int offset) {
    if (offset < 0 || offset % 4 != 0 || offset / 4 >= registers.length) {
      throw new IndexOutOfBoundsException(
          "register offset 0x" + Integer.toHexString(offset) + " outside the block of "
              + sizeBytes() + " bytes or not 4-byte aligned");
    }
    return offset / 4;
  }

  @Override
  public String toString() {
    return "RegisterBlock" + Arrays.toString(registers);
  }
}
