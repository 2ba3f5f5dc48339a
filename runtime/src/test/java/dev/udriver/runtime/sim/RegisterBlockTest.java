package dev.udriver.runtime.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RegisterBlockTest {

  private static final int STATUS = 0x0;
  private static final int CONTROL = 0x4;
  private static final int FIFO = 0x8;
  private static final int DOORBELL = 0xC;

  @Test
  void plainRegistersHoldWhatIsWritten() {
    RegisterBlock registers = new RegisterBlock(16);
    assertEquals(16, registers.sizeBytes());
    assertEquals(0, registers.read32(CONTROL));
    registers.write32(CONTROL, 0xDEAD_BEEF);
    assertEquals(0xDEAD_BEEF, registers.read32(CONTROL));
    assertEquals(0xDEAD_BEEF, registers.peek(CONTROL));
    assertEquals(0, registers.read32(STATUS), "a write touched another register");
  }

  @Test
  void writeOneToClearClearsOnlyTheBitsWrittenAsOne() {
    RegisterBlock registers = new RegisterBlock(16).onWrite(STATUS, RegisterBlock.writeOneToClear());
    registers.setBits(STATUS, 0b1011);
    assertEquals(0b1011, registers.read32(STATUS));
    registers.write32(STATUS, 0b0010);
    assertEquals(0b1001, registers.read32(STATUS));
    registers.write32(STATUS, 0);
    assertEquals(0b1001, registers.read32(STATUS), "writing zeros clears nothing");
    registers.write32(STATUS, 0xFFFF_FFFF);
    assertEquals(0, registers.read32(STATUS));
  }

  @Test
  void setBitsOrsAndSetOverwritesWithoutBehaviour() {
    AtomicInteger writes = new AtomicInteger();
    RegisterBlock registers =
        new RegisterBlock(16)
            .onWrite(STATUS, (block, current, written) -> {
              writes.incrementAndGet();
              return current & ~written;
            });
    registers.setBits(STATUS, 0b01);
    registers.setBits(STATUS, 0b10);
    assertEquals(0b11, registers.peek(STATUS));
    registers.set(STATUS, 0b100);
    assertEquals(0b100, registers.peek(STATUS));
    assertEquals(0, writes.get(), "device-side updates must not run driver write behaviour");
  }

  @Test
  void readBehaviourDecidesWhatTheDriverSeesAndMayHaveSideEffects() {
    ArrayDeque<Integer> fifo = new ArrayDeque<>(List.of(7, 8, 9));
    RegisterBlock registers =
        new RegisterBlock(16)
            .onRead(FIFO, (block, current) -> {
              Integer next = fifo.poll();
              block.set(STATUS, fifo.size()); // side effect: the level register follows
              return next == null ? -1 : next;
            });
    assertEquals(7, registers.read32(FIFO));
    assertEquals(2, registers.read32(STATUS));
    assertEquals(8, registers.read32(FIFO));
    assertEquals(9, registers.read32(FIFO));
    assertEquals(-1, registers.read32(FIFO));
    assertEquals(0, registers.read32(STATUS));
    assertEquals(0, registers.peek(FIFO), "peek bypasses read behaviour");
  }

  @Test
  void writeBehaviourSeesTheCurrentValueAndCanTouchOtherRegisters() {
    RegisterBlock registers =
        new RegisterBlock(16)
            .onWrite(DOORBELL, (block, current, written) -> {
              block.setBits(STATUS, written);
              return current + 1; // counts rings
            });
    registers.write32(DOORBELL, 0b100);
    registers.write32(DOORBELL, 0b001);
    assertEquals(2, registers.read32(DOORBELL));
    assertEquals(0b101, registers.read32(STATUS));
  }

  @Test
  void driverClearingOneBitNeverLosesBitsTheDeviceRaisesMeanwhile() throws Exception {
    RegisterBlock registers = new RegisterBlock(4).onWrite(STATUS, RegisterBlock.writeOneToClear());
    Thread device = Thread.ofPlatform().start(() -> {
      for (int round = 0; round < 200; round++) {
        for (int bit = 1; bit < 31; bit++) {
          registers.setBits(STATUS, 1); // the bit the driver keeps clearing
          registers.setBits(STATUS, 1 << bit); // bits the driver never clears
        }
      }
    });
    while (device.isAlive()) {
      registers.write32(STATUS, 1);
    }
    device.join();
    registers.write32(STATUS, 1);
    assertEquals(0x7FFF_FFFE, registers.peek(STATUS), "a write-one-to-clear lost a raised bit");
  }

  @Test
  void misalignedOrOutOfRangeOffsetsAreRefused() {
    RegisterBlock registers = new RegisterBlock(16);
    for (int offset : new int[] {-4, 1, 2, 3, 6, 16, 20, Integer.MAX_VALUE}) {
      IndexOutOfBoundsException e =
          assertThrows(IndexOutOfBoundsException.class, () -> registers.read32(offset), "read " + offset);
      assertTrue(e.getMessage().contains(Integer.toHexString(offset)), e.getMessage());
      assertThrows(IndexOutOfBoundsException.class, () -> registers.write32(offset, 1), "write " + offset);
      assertThrows(IndexOutOfBoundsException.class, () -> registers.peek(offset));
      assertThrows(IndexOutOfBoundsException.class, () -> registers.set(offset, 1));
      assertThrows(IndexOutOfBoundsException.class, () -> registers.setBits(offset, 1));
      assertThrows(
          IndexOutOfBoundsException.class,
          () -> registers.onWrite(offset, RegisterBlock.writeOneToClear()));
    }
    assertEquals(0, registers.read32(12), "the last register is in range");
  }

  @Test
  void sizeMustBeAPositiveMultipleOfFour() {
    for (int size : new int[] {0, -4, 3, 6}) {
      assertThrows(IllegalArgumentException.class, () -> new RegisterBlock(size), "size " + size);
    }
  }
}
