package dev.udriver.runtime.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.udriver.runtime.linux.GpioHardware.Bias;
import dev.udriver.runtime.linux.GpioHardware.Edge;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The {@code struct gpio_v2_line_request} a builder declaration turns into, read back at the
 * offsets of include/uapi/linux/gpio.h: offsets[64] at 0, consumer[32] at 256, config at 288
 * (flags, num_attrs at 296, attrs[10] from 320), num_lines at 560, event_buffer_size at 564,
 * padding[5] at 568, fd at 588; 592 bytes.
 */
class GpioLineRequestTest {

  private static MemorySegment encoded(GpioHardware.Builder builder, String name, Arena arena) {
    return builder.request(name).encode(arena, "udriver-" + name);
  }

  @Test
  void lineRequestIsEncodedAsTheKernelExpects() {
    GpioHardware.Builder builder =
        GpioHardware.builder("/dev/gpiochip0")
            .lines("button", new int[] {4, 17}, Edge.FALLING, Bias.PULL_UP, Duration.ofMillis(5));
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment request = encoded(builder, "button", arena);
      assertEquals(592, request.byteSize());
      assertEquals(4, request.get(JAVA_INT, 0));
      assertEquals(17, request.get(JAVA_INT, 4));
      assertEquals("udriver-button", request.getString(256));
      assertEquals((1L << 2) | (1L << 5) | (1L << 8), request.get(JAVA_LONG, 288)); // INPUT, FALLING, PULL_UP
      assertEquals(1, request.get(JAVA_INT, 296)); // num_attrs
      assertEquals(3, request.get(JAVA_INT, 320)); // GPIO_V2_LINE_ATTR_ID_DEBOUNCE
      assertEquals(5_000, request.get(JAVA_INT, 328)); // debounce_period_us
      assertEquals(0b11L, request.get(JAVA_LONG, 336)); // mask indexes offsets[]
      assertEquals(2, request.get(JAVA_INT, 560)); // num_lines
      assertEquals(0, request.get(JAVA_INT, 564)); // event_buffer_size: the kernel's 16 per line
    }
  }

  @Test
  void eventBufferSizeIsWrittenAfterNumLinesAndThePaddingStaysZero() {
    GpioHardware.Builder builder =
        GpioHardware.builder("/dev/gpiochip0")
            .line("burst", 5, Edge.BOTH, Bias.AS_IS, Duration.ZERO, 64)
            .lines("pair", new int[] {1, 2}, Edge.RISING, Bias.PULL_DOWN, Duration.ofNanos(7_000),
                GpioHardware.MAX_EVENT_BUFFER);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment burst = encoded(builder, "burst", arena);
      assertEquals(5, burst.get(JAVA_INT, 0));
      assertEquals((1L << 2) | (1L << 4) | (1L << 5), burst.get(JAVA_LONG, 288)); // INPUT, BOTH
      assertEquals(0, burst.get(JAVA_INT, 296)); // no debounce attribute
      assertEquals(1, burst.get(JAVA_INT, 560)); // num_lines
      assertEquals(64, burst.get(JAVA_INT, 564)); // event_buffer_size
      for (long padding = 568; padding < 592; padding += 4) {
        // The kernel rejects a request whose padding is not zero; fd (588) is the kernel's to fill.
        assertEquals(0, burst.get(JAVA_INT, padding), "byte " + padding);
      }

      MemorySegment pair = encoded(builder, "pair", arena);
      assertEquals((1L << 2) | (1L << 4) | (1L << 9), pair.get(JAVA_LONG, 288)); // INPUT, RISING, PULL_DOWN
      assertEquals(7, pair.get(JAVA_INT, 328)); // debounce_period_us
      assertEquals(2, pair.get(JAVA_INT, 560));
      assertEquals(1024, pair.get(JAVA_INT, 564));
    }
  }

  @Test
  void eventBufferSizesTheKernelTakesAreAccepted() {
    GpioHardware.Builder builder = GpioHardware.builder("/dev/gpiochip0");
    int[] sizes = {GpioHardware.KERNEL_DEFAULT_EVENT_BUFFER, 2, 40, 1024};
    for (int size : sizes) {
      builder.line("line" + size, 0, Edge.BOTH, Bias.AS_IS, Duration.ZERO, size);
      assertEquals(size, builder.request("line" + size).eventBufferSize());
    }
  }

  @Test
  void eventBufferSizesOutsideTheKernelsRangeAreRejectedNamingTheInterruptAndTheLimit() {
    // 1025 and up the kernel would silently cap at 1024; 1 makes its FIFO allocation fail.
    for (int size : new int[] {-1, 1, 1025, Integer.MAX_VALUE}) {
      GpioHardware.Builder builder = GpioHardware.builder("/dev/gpiochip0");
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> builder.line("burst", 5, Edge.BOTH, Bias.AS_IS, Duration.ZERO, size),
              "size " + size);
      String message = e.getMessage();
      assertTrue(message.contains("'burst'"), message);
      assertTrue(message.contains("event buffer size " + size), message);
      assertTrue(message.contains("2 to 1024"), message);
      assertTrue(message.contains("0 for its default of 16 per line"), message);
      assertEquals(null, builder.request("burst"), "a rejected request is not declared");
    }
  }

  @Test
  void theMultiLineOverloadValidatesTheSame() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                GpioHardware.builder("/dev/gpiochip0")
                    .lines("keys", new int[] {1, 2, 3}, Edge.FALLING, Bias.PULL_UP, Duration.ZERO,
                        2048));
    assertTrue(e.getMessage().contains("'keys'") && e.getMessage().contains("1024"), e.getMessage());
  }

  /** The ring the ISR reads holds at least what the kernel buffers, so a backlog is lost in neither. */
  @Test
  void theEventRingHoldsAtLeastTheKernelsBuffer() {
    GpioHardware.Builder builder =
        GpioHardware.builder("/dev/gpiochip0")
            .line("one", 1, Edge.BOTH, Bias.AS_IS, Duration.ZERO)
            .lines("wide", java.util.stream.IntStream.range(0, 64).toArray(), Edge.BOTH, Bias.AS_IS, Duration.ZERO)
            .line("sized", 2, Edge.BOTH, Bias.AS_IS, Duration.ZERO, 600)
            .line("small", 3, Edge.BOTH, Bias.AS_IS, Duration.ZERO, 40);
    assertEquals(256, GpioLineSource.ringCapacity(builder.request("one"))); // kernel: 16
    assertEquals(1024, GpioLineSource.ringCapacity(builder.request("wide"))); // kernel: 16 x 64
    assertEquals(1024, GpioLineSource.ringCapacity(builder.request("sized"))); // kernel: 600 -> 1024
    assertEquals(256, GpioLineSource.ringCapacity(builder.request("small")));
  }
}
