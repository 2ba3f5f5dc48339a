package dev.udriver.runtime.linux;

import dev.udriver.runtime.linux.internal.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Stands in for a UIO device where none exists: a socket pair speaks the UIO protocol (the
 * runtime's end yields 4-byte running counts and takes 4-byte {@code write(1)}/{@code write(0)})
 * and plain memory is the register block. As with uio_read, the runtime's end holds at most one
 * count, the latest: one read takes it and the next read answers EAGAIN until a new interrupt, so
 * a reader that reads twice per wake pays an extra syscall for nothing, as it would on a device. It behaves like {@code uio_pdrv_genirq}: an interrupt
 * masks the line until the runtime writes 1; interrupts raised while masked or disabled stay
 * pending (the line stays asserted) and fire, as one count step, when it is enabled.
 *
 * <pre>{@code
 * try (UioStandIn device = UioStandIn.create(256);
 *      DeviceNode node = DeviceNode.create("uio-test", device.hardware())) {
 *   node.addDriver(new UioCounterDriver(device.registers()));
 *   node.start();
 *   device.registers().setBits(STATUS, 1);
 *   device.raise();
 * }
 * }</pre>
 *
 * The device side is driven by the calling thread: {@link #raise} first takes the runtime's
 * control writes, then fires if the line is enabled. Methods are synchronized.
 */
public final class UioStandIn implements AutoCloseable {

  private final int runtimeEnd;
  private final int deviceEnd;
  private final Arena arena = Arena.ofShared();
  private final MmioRegisters registers;
  private final UioHardware hardware;
  private final MemorySegment buffer;
  private final List<Integer> controlWrites = new ArrayList<>();
  private int count;
  private int pending;
  private boolean enabled;

  private UioStandIn(int registerBytes) {
    LinuxInterrupts.ensureAvailability();
    int[] pair = Libc.socketpair(Libc.SOCK_SEQPACKET | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC);
    runtimeEnd = pair[0];
    deviceEnd = pair[1];
    registers = new MmioRegisters(arena.allocate(registerBytes, 4096));
    buffer = arena.allocate(ValueLayout.JAVA_INT);
    hardware = UioHardware.overDescriptor("stand-in", runtimeEnd, registers);
  }

  /** A stand-in with a zeroed register block of {@code registerBytes}. */
  public static UioStandIn create(int registerBytes) {
    return new UioStandIn(registerBytes);
  }

  /** The hardware to give the device. */
  public UioHardware hardware() {
    return hardware;
  }

  /** The register block (region 0). */
  public MmioRegisters registers() {
    return registers;
  }

  /** Raises one interrupt. */
  public void raise() {
    raise(1);
  }

  /** Raises {@code n} interrupts; while the line is masked they wait and fire as one step. */
  public synchronized void raise(int n) {
    takeControlWrites();
    pending += n;
    fireIfEnabled();
  }

  /** Applies the runtime's writes so far (an enable fires what is pending) and returns them. */
  public synchronized List<Integer> controlWrites() {
    takeControlWrites();
    return List.copyOf(controlWrites);
  }

  /** The running count the device has reported. */
  public synchronized int count() {
    return count;
  }

  /** Whether the runtime left the interrupt enabled. */
  public synchronized boolean enabled() {
    takeControlWrites();
    return enabled;
  }

  private void takeControlWrites() {
    while (Libc.readHot(deviceEnd, buffer, 4) == 4) {
      int value = buffer.get(ValueLayout.JAVA_INT, 0);
      controlWrites.add(value);
      enabled = value != 0;
      fireIfEnabled();
    }
  }

  private void fireIfEnabled() {
    if (enabled && pending > 0) {
      count += pending;
      pending = 0;
      enabled = false; // uio_pdrv_genirq: disable_irq_nosync in the handler
      // A count the runtime has not read yet is superseded: uio_read reports only the current
      // count. Taking it from the runtime's end races harmlessly with the runtime's own read,
      // which then either got it first or finds EAGAIN and reads the new count at the next wake.
      while (Libc.readHot(runtimeEnd, buffer, 4) == 4) {
        // discard
      }
      buffer.set(ValueLayout.JAVA_INT, 0, count);
      Libc.writeHot(deviceEnd, buffer, 4);
    }
  }

  @Override
  public synchronized void close() {
    hardware.close();
    Libc.close(runtimeEnd);
    Libc.close(deviceEnd);
    arena.close();
  }
}
