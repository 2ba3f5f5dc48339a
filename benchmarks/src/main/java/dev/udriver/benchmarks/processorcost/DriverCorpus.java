package dev.udriver.benchmarks.processorcost;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a corpus of {@code n} realistic drivers, one source file each, all clean under the udriver
 * rules: an ISR that reads and acknowledges a status register through a helper and queues the work
 * item, a work item that drains a ring buffer under the lock, enable and disable callbacks, a
 * public method that any thread may call (try-acquire), and private helpers.
 */
public final class DriverCorpus {

  private DriverCorpus() {}

  /** Writes the corpus under {@code root}; returns the source files. */
  public static List<Path> write(Path root, int n) throws IOException {
    List<Path> files = new ArrayList<>();
    Path registers = root.resolve("corpus/Registers.java");
    Files.createDirectories(registers.getParent());
    Files.writeString(
        registers,
        "package corpus;\n\npublic interface Registers {\n"
            + "  int read(int offset);\n\n  void write(int offset, int value);\n}\n",
        StandardCharsets.UTF_8);
    files.add(registers);
    for (int i = 0; i < n; i++) {
      String pkg = "corpus.d" + (i / 100);
      String name = "Driver" + i;
      Path file = root.resolve(pkg.replace('.', '/')).resolve(name + ".java");
      Files.createDirectories(file.getParent());
      Files.writeString(file, source(pkg, name, i), StandardCharsets.UTF_8);
      files.add(file);
    }
    return files;
  }

  static String source(String pkg, String name, int i) {
    String irq = "irq" + i;
    return "package " + pkg + ";\n"
        + "\n"
        + "import corpus.Registers;\n"
        + "import dev.udriver.annotation.*;\n"
        + "import dev.udriver.runtime.Interrupt;\n"
        + "\n"
        + "/** Generated driver " + i + ". */\n"
        + "public final class " + name + " {\n"
        + "  private static final int STATUS = 0x" + Integer.toHexString(0x10 + i % 16) + ";\n"
        + "  private static final int DATA = 0x20;\n"
        + "  private static final int ENABLE = 0x24;\n"
        + "  private final Registers registers;\n"
        + "  private final int[] ring = new int[256];\n"
        + "  private final int[] drained = new int[256];\n"
        + "  private long written;\n"
        + "  private long read;\n"
        + "  private volatile long overruns;\n"
        + "  private Interrupt interrupt;\n"
        + "\n"
        + "  public " + name + "(Registers registers) {\n"
        + "    this.registers = registers;\n"
        + "  }\n"
        + "\n"
        + "  @OnInterruptIsr(\"" + irq + "\")\n"
        + "  boolean onInterrupt(Interrupt interrupt) {\n"
        + "    int pending = status();\n"
        + "    if (pending == 0) {\n"
        + "      return false;\n"
        + "    }\n"
        + "    registers.write(STATUS, pending);\n"
        + "    for (int k = 0; k < 8 && (registers.read(STATUS) & 1) != 0; k++) {\n"
        + "      push(registers.read(DATA));\n"
        + "    }\n"
        + "    interrupt.queueWorkItemForIsr();\n"
        + "    return true;\n"
        + "  }\n"
        + "\n"
        + "  @OnInterruptWorkItem(\"" + irq + "\")\n"
        + "  void drain(Interrupt interrupt) {\n"
        + "    int length;\n"
        + "    try (var held = interrupt.lock()) {\n"
        + "      length = (int) (written - read);\n"
        + "      for (int k = 0; k < length; k++) {\n"
        + "        drained[k] = ring[(int) (read++ & 255)];\n"
        + "      }\n"
        + "    }\n"
        + "    deliver(length);\n"
        + "  }\n"
        + "\n"
        + "  @OnInterruptEnable(\"" + irq + "\")\n"
        + "  void enable(Interrupt interrupt) {\n"
        + "    this.interrupt = interrupt;\n"
        + "    registers.write(ENABLE, 1);\n"
        + "  }\n"
        + "\n"
        + "  @OnInterruptDisable(\"" + irq + "\")\n"
        + "  void disable(Interrupt interrupt) {\n"
        + "    registers.write(ENABLE, 0);\n"
        + "  }\n"
        + "\n"
        + "  /** Called by the application on any thread. */\n"
        + "  public long pendingBytes() {\n"
        + "    Interrupt current = interrupt;\n"
        + "    if (current == null || !current.tryToAcquireInterruptLock()) {\n"
        + "      return -1;\n"
        + "    }\n"
        + "    try {\n"
        + "      return written - read;\n"
        + "    } finally {\n"
        + "      current.releaseInterruptLock();\n"
        + "    }\n"
        + "  }\n"
        + "\n"
        + "  public long overruns() {\n"
        + "    return overruns;\n"
        + "  }\n"
        + "\n"
        + "  private int status() {\n"
        + "    return registers.read(STATUS) & 0xFF;\n"
        + "  }\n"
        + "\n"
        + "  private void push(int value) {\n"
        + "    if (written - read == ring.length) {\n"
        + "      overruns = overruns + 1;\n"
        + "    } else {\n"
        + "      ring[(int) (written++ & 255)] = value;\n"
        + "    }\n"
        + "  }\n"
        + "\n"
        + "  private void deliver(int length) {\n"
        + "    long sum = 0;\n"
        + "    for (int k = 0; k < length; k++) {\n"
        + "      sum += drained[k];\n"
        + "    }\n"
        + "    if (sum < 0) {\n"
        + "      throw new IllegalStateException(\"negative data\");\n"
        + "    }\n"
        + "  }\n"
        + "}\n";
  }
}
