package dev.udriver.vm.guest;

import static dev.udriver.vm.EduRegisters.FACTORIAL;
import static dev.udriver.vm.EduRegisters.ID;
import static dev.udriver.vm.EduRegisters.ID_MAGIC;
import static dev.udriver.vm.EduRegisters.IRQ_ACK;
import static dev.udriver.vm.EduRegisters.IRQ_FACTORIAL;
import static dev.udriver.vm.EduRegisters.IRQ_RAISE;
import static dev.udriver.vm.EduRegisters.IRQ_STATUS;
import static dev.udriver.vm.EduRegisters.LIVENESS;
import static dev.udriver.vm.EduRegisters.STATUS;
import static dev.udriver.vm.EduRegisters.STATUS_COMPUTING;
import static dev.udriver.vm.EduRegisters.STATUS_IRQ_ON_FACTORIAL;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.udriver.vm.EduRegisters;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * Runs inside the guest, on the JDK shared from the host: drives the edu device bound to
 * uio_pci_generic from Java through the FFM API, with exact counts.
 *
 * <pre>EduUioProbe &lt;uioN&gt; &lt;warmup&gt; &lt;raises&gt; &lt;factorial warmup&gt; &lt;factorials&gt;</pre>
 *
 * Each loop runs its warm-up iterations first, checked and counted like the others but left out of
 * the latency figures: until the JIT has compiled the loop they measure the interpreter.
 *
 * <ol>
 *   <li>Raise loop: the same protocol as {@code uio_test.c}. Raise through BAR0 0x60, block in
 *       read() on /dev/uioN, check the event count moved by one and the status register holds
 *       the raised value, acknowledge, re-enable INTx in config space.</li>
 *   <li>Factorial loop: the device's own interrupt. With status bit 7 set, write n to 0x08; the
 *       device computes n!, then raises interrupt bit 0. Check the interrupt arrives (within 2 s),
 *       that it is the factorial interrupt, that the device is no longer computing and that
 *       0x08 holds n! (32-bit, wrapping).</li>
 * </ol>
 * Prints one RESULT line per loop in the format of the C programs; exits 0 when both pass.
 */
public final class EduUioProbe {
    private static final VarHandle REG = JAVA_INT.varHandle();
    private static final long PCI_COMMAND_HI = 5;
    private static final int INTX_DISABLE_HI = 0x04;

    private final MemorySegment bar;
    private final int uioFd;
    private final int configFd;

    private EduUioProbe(MemorySegment bar, int uioFd, int configFd) {
        this.bar = bar;
        this.uioFd = uioFd;
        this.configFd = configFd;
    }

    private int rd(long offset) {
        return (int) REG.getVolatile(bar, offset);
    }

    private void wr(long offset, int value) {
        REG.setVolatile(bar, offset, value);
    }

    private void unmaskIntx() throws IOException {
        int hi = Libc.preadByte(configFd, PCI_COMMAND_HI);
        Libc.pwriteByte(configFd, PCI_COMMAND_HI, hi & ~INTX_DISABLE_HI);
    }

    /** Events that arrive within the timeout without a raise: each one is spurious. */
    private long idleEvents(int timeoutMillis) throws IOException {
        long events = 0;
        while (Libc.pollIn(uioFd, timeoutMillis)) {
            Libc.readInt(uioFd);
            events++;
        }
        return events;
    }

    private LoopTally raiseLoop(int warmup, int n) throws IOException {
        LoopTally t = new LoopTally("java-uio-intx", warmup, n);
        t.idleEvents += idleEvents(50);
        int last = 0;
        boolean haveLast = false;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            if (i == warmup) {
                start = System.nanoTime();
            }
            int value = 0x0001_0000 | ((i & 0x7fff) << 1);
            long t0 = System.nanoTime();
            wr(IRQ_RAISE, value);
            int count = Libc.readInt(uioFd);
            t.latency(i, System.nanoTime() - t0);
            t.raised++;
            if (haveLast && count != last + 1) {
                if (Integer.compareUnsigned(count, last + 1) > 0) {
                    t.lost += Integer.toUnsignedLong(count - last - 1);
                } else {
                    t.spurious++;
                }
            }
            last = count;
            haveLast = true;
            int status = rd(IRQ_STATUS);
            if (status == 0) {
                t.spurious++;
            } else {
                t.claimed++;
                if (status != value) {
                    t.wrongStatus++;
                }
            }
            wr(IRQ_ACK, status);
            if (rd(IRQ_STATUS) != 0) {
                t.wrongStatus++;
            }
            unmaskIntx();
        }
        t.elapsedNanos = System.nanoTime() - start;
        t.idleEvents += idleEvents(50);
        return t;
    }

    private LoopTally factorialLoop(int warmup, int n) throws IOException {
        LoopTally t = new LoopTally("java-uio-factorial", warmup, n);
        wr(STATUS, STATUS_IRQ_ON_FACTORIAL);
        t.idleEvents += idleEvents(50);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            if (i == warmup) {
                start = System.nanoTime();
            }
            int operand = i % 21;   // 13! and above wrap in the device's 32-bit arithmetic
            long t0 = System.nanoTime();
            wr(FACTORIAL, operand);
            t.raised++;
            if (!Libc.pollIn(uioFd, 2000)) {
                t.lost++;
                System.out.printf("factorial %d: no interrupt within 2 s (status 0x%x)%n", operand, rd(STATUS));
                continue;
            }
            Libc.readInt(uioFd);
            t.latency(i, System.nanoTime() - t0);
            int status = rd(IRQ_STATUS);
            if (status == 0) {
                t.spurious++;
            } else {
                t.claimed++;
                if (status != IRQ_FACTORIAL || (rd(STATUS) & STATUS_COMPUTING) != 0) {
                    t.wrongStatus++;
                }
            }
            int result = rd(FACTORIAL);
            if (result != EduRegisters.factorial(operand)) {
                t.wrongValue++;
                System.out.printf("factorial %d: device says %d, expected %d%n",
                        operand, Integer.toUnsignedLong(result), Integer.toUnsignedLong(EduRegisters.factorial(operand)));
            }
            wr(IRQ_ACK, status);
            unmaskIntx();
        }
        t.elapsedNanos = System.nanoTime() - start;
        wr(STATUS, 0);
        t.idleEvents += idleEvents(50);
        return t;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            System.err.println("usage: EduUioProbe <uioN> <warmup> <raises> <factorial warmup> <factorials>");
            System.exit(2);
        }
        String uio = args[0];
        int warmup = Integer.parseInt(args[1]);
        int raises = Integer.parseInt(args[2]);
        int factorialWarmup = Integer.parseInt(args[3]);
        int factorials = Integer.parseInt(args[4]);
        String device = "/sys/class/uio/" + uio + "/device/";

        int resourceFd = Libc.open(device + "resource0", Libc.O_RDWR | Libc.O_SYNC | Libc.O_CLOEXEC);
        MemorySegment bar = Libc.mmap(resourceFd, EduRegisters.BAR0_SIZE, 0);
        int configFd = Libc.open(device + "config", Libc.O_RDWR | Libc.O_CLOEXEC);
        int uioFd = Libc.open("/dev/" + uio, Libc.O_RDWR | Libc.O_CLOEXEC);
        EduUioProbe probe = new EduUioProbe(bar, uioFd, configFd);

        int id = probe.rd(ID);
        probe.wr(LIVENESS, 0x1234_5678);
        int liveness = probe.rd(LIVENESS);
        long irqcontrol = Libc.writeInt(uioFd, 1);
        System.out.printf("INFO id=0x%08x liveness=%s irqcontrol_write=%s java=%s%n", id,
                liveness == ~0x1234_5678 ? "ok" : "BAD", irqcontrol == 4 ? "accepted" : "errno " + Libc.errno(),
                Runtime.version());
        if ((id & 0xffff) != ID_MAGIC || liveness != ~0x1234_5678) {
            System.out.println("not an edu device");
            System.exit(2);
        }
        probe.wr(IRQ_ACK, probe.rd(IRQ_STATUS));
        probe.unmaskIntx();

        LoopTally raise = probe.raiseLoop(warmup, warmup + raises);
        raise.print();
        LoopTally fact = probe.factorialLoop(factorialWarmup, factorialWarmup + factorials);
        fact.print();
        Libc.close(uioFd);
        Libc.close(configFd);
        Libc.close(resourceFd);
        System.exit(raise.passed() && fact.passed() ? 0 : 1);
    }
}
