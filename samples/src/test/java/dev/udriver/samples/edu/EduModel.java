package dev.udriver.samples.edu;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A model of QEMU's edu device registers (hw/misc/edu.c) for tests without the VM: raise and
 * acknowledge, the liveness check, and factorials computed on the device's own thread that end
 * with interrupt bit 0 when status bit 7 is set. {@code interrupt} delivers one interrupt (a UIO
 * stand-in raise, an eventfd message).
 */
final class EduModel implements Registers32, AutoCloseable {
  private final Runnable interrupt;
  private final ExecutorService deviceThread =
      Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().name("edu-model").daemon().unstarted(r));
  private int irqStatus;
  private int status;
  private int factorial;
  private int liveness;
  private long interrupts;

  EduModel(Runnable interrupt) {
    this.interrupt = interrupt;
  }

  @Override
  public synchronized int read32(long offset) {
    return switch ((int) offset) {
      case 0x00 -> 0x010000ed;
      case 0x04 -> ~liveness;
      case 0x08 -> factorial;
      case 0x20 -> status;
      case 0x24 -> irqStatus;
      default -> ~0;
    };
  }

  @Override
  public void write32(long offset, int value) {
    boolean raise = false;
    synchronized (this) {
      switch ((int) offset) {
        case 0x04 -> liveness = value;
        case 0x08 -> {
          if ((status & EduDriver.STATUS_COMPUTING) == 0) {
            factorial = value;
            status |= EduDriver.STATUS_COMPUTING;
            deviceThread.execute(this::compute);
          }
        }
        case 0x20 -> status = (status & EduDriver.STATUS_COMPUTING) | (value & EduDriver.STATUS_IRQ_ON_FACTORIAL);
        case 0x60 -> {
          irqStatus |= value;
          raise = true;
        }
        case 0x64 -> irqStatus &= ~value;
        default -> { }
      }
    }
    if (raise) {
      fire();
    }
  }

  private void compute() {
    boolean raise;
    synchronized (this) {
      int n = factorial;
      int r = 1;
      for (int i = n; i > 1; i--) {
        r *= i;
      }
      factorial = r;
      status &= ~EduDriver.STATUS_COMPUTING;
      raise = (status & EduDriver.STATUS_IRQ_ON_FACTORIAL) != 0;
      if (raise) {
        irqStatus |= EduDriver.IRQ_FACTORIAL;
      }
    }
    if (raise) {
      fire();
    }
  }

  private void fire() {
    synchronized (this) {
      interrupts++;
    }
    interrupt.run();
  }

  /** Interrupts the model raised. */
  synchronized long interrupts() {
    return interrupts;
  }

  /** Sets status bits as if a previous user had left them pending (no interrupt). */
  synchronized void leavePending(int bits) {
    irqStatus |= bits;
  }

  @Override
  public void close() {
    deviceThread.shutdownNow();
  }
}
