package dev.udriver.vm;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.udriver.annotation.OnInterruptIsr;
import dev.udriver.runtime.DeviceNode;
import dev.udriver.samples.edu.EduMain;
import dev.udriver.vm.guest.EduUioProbe;
import dev.udriver.vm.guest.GpioSimProbe;
import dev.udriver.vm.harness.EduVm;
import dev.udriver.vm.harness.GuestPlan;
import dev.udriver.vm.harness.GuestResults;
import dev.udriver.vm.harness.LatencyTable;
import dev.udriver.vm.harness.VmUnavailableException;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One boot of a QEMU guest with the edu device: uio_pci_generic first (C loop, then a Java program
 * on the shared JDK), then vfio-pci (MSI, INTx, DMA through the emulated IOMMU), then
 * uio_pci_generic again, all with exact interrupt counts. The udriver edu driver ({@link EduMain})
 * runs through uio_pci_generic and through vfio-pci (MSI, then INTx) across device stop/start
 * cycles, with its latencies set against the C loops of the same boot. Last, gpio-sim (built for
 * the guest kernel by the harness) gives a real GPIO chip, and udriver's GPIO source takes its edges
 * through the character device ({@link GpioSimProbe}), bouncing bursts with and without the kernel's
 * debounce among them. On a host without QEMU (or without the Debian kernel package) every test is
 * skipped with the reason, unless {@code -Dudriver.vm.required=true} or {@code UDRIVER_VM_REQUIRED=1}
 * asks for a failure instead.
 */
class EduVmTest {
    /** Measured raises of every path (C, Java FFM, udriver), after its warm-up. */
    private static final int RAISES = 3_000;
    /** Measured factorials of every path. */
    private static final int FACTORIALS = 600;
    /** C needs no JIT; a short warm-up keeps its first page faults and cold caches out too. */
    private static final int C_WARMUP = 1_000;
    /**
     * Raises before the Java paths are measured. In the guest (TCG, one vCPU) the one C1 compiler
     * thread shares the processor with the loop: with -XX:+PrintCompilation the udriver path's
     * methods (Dispatcher.serve, EpollWaitStrategy.await, UioSource.readSignals, the edu ISR and work
     * item) were still being compiled after 7,000 raises, and the raise-to-ISR p50 of blocks of 500
     * fell from 450 us to a plateau of about 40 us only there; a path that runs second in a JVM
     * started there. 8,000 covers it with a margin, for every Java path alike.
     */
    private static final int JAVA_WARMUP = 8_000;
    /** Factorials before the Java FFM factorial loop is measured (its own loop, compiled apart). */
    private static final int JAVA_FACTORIAL_WARMUP = 400;
    /** Each DMA round trip is two transfers, each 100 ms of the device's virtual-clock timer. */
    private static final int DMA_ROUNDS = 5;
    /**
     * The udriver edu driver: a warm-up cycle of {@link #JAVA_WARMUP} raises, then measured
     * start/stop cycles, each of raises one at a time and factorials, the last 21 queued (not timed):
     * 3 x 1,000 raises and 3 x 200 timed factorials, as many as the other paths measure.
     */
    private static final int CYCLES = 3;
    private static final int UDRIVER_RAISES = RAISES / CYCLES;
    private static final int UDRIVER_FACTORIALS = FACTORIALS / CYCLES + 21;
    /** The gpio-sim chip's lines, the line driven, and the toggles of each run (edges in both directions). */
    private static final int GPIO_LINES = 8;
    private static final int GPIO_LINE = 5;
    private static final int GPIO_TOGGLES = 20;
    /** The kernel's event buffer of a one-line request: 16 events a line (event_buffer_size 0). */
    private static final int GPIO_KERNEL_BUFFER = 16;
    /** The event buffer the gpio-buffered request asks for: enough for the burst of 1 + 2 x toggles edges. */
    private static final int GPIO_EVENT_BUFFER = 64;
    /**
     * Bouncing contacts: {@value #GPIO_BURSTS} settling bursts of {@value #GPIO_BOUNCES} pull toggles
     * (the line ends on the other level), each followed by a glitch burst of one toggle fewer (it ends
     * where it was), every burst written back to back and followed by {@value #GPIO_QUIET_MS} ms of
     * quiet. The debounce period is long enough for the guest's emulated timers and much longer than
     * a burst: one pwrite a toggle, a burst took 0.5 to 10 ms in the guest (TCG), most of it when
     * another thread got the one vCPU; the probe measures every burst and the test checks it.
     */
    private static final int GPIO_BURSTS = 6;
    private static final int GPIO_BOUNCES = 5;
    private static final int GPIO_BOUNCE_DEBOUNCE_MS = 50;
    private static final int GPIO_QUIET_MS = 150;
    /** Toggles of all bouncing bursts: the settling ones and the glitches of one toggle fewer. */
    private static final long GPIO_BOUNCE_WRITES = (long) GPIO_BURSTS * (2 * GPIO_BOUNCES - 1);

    private static EduVm.Run run;

    @BeforeAll
    static void boot() throws Exception {
        GuestPlan plan = new GuestPlan()
                .run("exit-status", 10, "/bin/sh", "-c", "echo RESULT test=probe value=42; exit 3")
                .run("time-limit", 1, "/bin/sleep", "30")
                .bindUio()
                .run("c-uio", 60, "/bin/uio_test", GuestPlan.UIO, String.valueOf(C_WARMUP), String.valueOf(RAISES),
                        String.valueOf(FACTORIALS))
                .java("java-uio", 90, GuestPlan.classpathOf(EduUioProbe.class), EduUioProbe.class.getName(), GuestPlan.UIO,
                        String.valueOf(JAVA_WARMUP), String.valueOf(RAISES), String.valueOf(JAVA_FACTORIAL_WARMUP),
                        String.valueOf(FACTORIALS))
                .java("udriver-uio", 90, udriverClasspath(), EduMain.class.getName(), udriverArgs("uio"))
                .bindVfio()
                .run("c-vfio-msi", 60, "/bin/vfio_test", GuestPlan.BDF, "msi", String.valueOf(C_WARMUP),
                        String.valueOf(RAISES))
                .run("c-vfio-intx", 60, "/bin/vfio_test", GuestPlan.BDF, "intx", String.valueOf(C_WARMUP),
                        String.valueOf(RAISES))
                .run("c-vfio-factorial", 30, "/bin/vfio_test", GuestPlan.BDF, "factorial", String.valueOf(FACTORIALS))
                .run("c-vfio-dma", 30, "/bin/vfio_test", GuestPlan.BDF, "dma", String.valueOf(DMA_ROUNDS))
                .java("udriver-vfio", 120, udriverClasspath(), EduMain.class.getName(),
                        udriverArgs("vfio-msi,vfio-intx"))
                .bindUio()
                .run("c-uio-again", 60, "/bin/uio_test", GuestPlan.UIO, String.valueOf(C_WARMUP), String.valueOf(RAISES))
                .gpioSim(GPIO_LINES)
                .java("udriver-gpio", 120, GuestPlan.classpathOf(GpioSimProbe.class, EduMain.class, DeviceNode.class,
                        OnInterruptIsr.class), GpioSimProbe.class.getName(), GuestPlan.GPIO_CHIP, GuestPlan.GPIO_SIM,
                        String.valueOf(GPIO_LINE), String.valueOf(GPIO_TOGGLES), String.valueOf(GPIO_EVENT_BUFFER),
                        String.valueOf(GPIO_BURSTS), String.valueOf(GPIO_BOUNCES),
                        String.valueOf(GPIO_BOUNCE_DEBOUNCE_MS), String.valueOf(GPIO_QUIET_MS))
                // The module's own messages and any kernel warning, with the console kept quiet.
                .run("kernel-log", 10, "/bin/sh", "-c", "dmesg > /tmp/k; echo RESULT test=kernel-log"
                        + " warnings=$(grep -cE 'WARNING:|BUG:|Oops' /tmp/k); grep -iE 'gpio|configfs|WARNING|BUG' /tmp/k");
        try {
            run = EduVm.run(EduVm.Config.fromSystemProperties(), plan);
        } catch (VmUnavailableException e) {
            String reason = "the edu VM test did NOT run: " + e.getMessage();
            System.err.println("udriver-vm-tests: " + reason);
            if (required()) {
                Assertions.fail(reason + " (required by udriver.vm.required / UDRIVER_VM_REQUIRED)", e);
            }
            Assumptions.abort(reason);
        }
        System.err.println("udriver-vm-tests: guest " + run.kernel().release() + ", accel " + run.accelerator()
                + "; " + run.describeTimings());
        run.results().steps().values().forEach(s -> s.results().values().stream().filter(r -> r.containsKey("raised"))
                .forEach(r -> System.err.println(String.format(Locale.ROOT,
                        "udriver-vm-tests: %-12s %-19s %s/%s claimed, %s", s.name(), r.get("test"), r.get("claimed"),
                        r.get("raised"), r.get("verdict")))));
        String table = LatencyTable.render(run.results(), latencyRows(), latencyNotes());
        Files.writeString(EduVm.Config.fromSystemProperties().work().resolve("latency.md"), table);
        System.err.print(table.lines().map(l -> "udriver-vm-tests: " + l + "\n").collect(Collectors.joining()));
    }

    private static final String ONE_THREAD = "raise -> read() returns, same thread";
    private static final String HANDOFF = "raise -> handler thread (epoll_wait) has acked";
    private static final String HANDOFF_RETURN = "raise -> raising thread runs again";
    private static final String TO_ISR = "raise -> ISR has acked (dispatcher thread)";
    private static final String TO_COMPLETION = "raise -> raising thread sees the work item's completion";
    private static final String FACTORIAL = "factorial written -> interrupt seen";
    private static final String FACTORIAL_UDRIVER = "factorial requested -> future completed";

    private static List<LatencyTable.Row> latencyRows() {
        return List.of(
                row("uio INTx, C", ONE_THREAD, "c-uio", "uio-intx", null, null),
                row("uio INTx, Java FFM", ONE_THREAD, "java-uio", "java-uio-intx", "c-uio", "uio-intx"),
                row("uio INTx, C hand-off", HANDOFF, "c-uio", "uio-intx-handoff", "c-uio", "uio-intx"),
                row("uio INTx, udriver (raise to ISR)", TO_ISR, "udriver-uio", "udriver-uio", "c-uio", "uio-intx-handoff"),
                row("uio INTx, C hand-off return", HANDOFF_RETURN, "c-uio", "uio-intx-handoff-return", null, null),
                row("uio INTx, udriver (raise to work-item completion)", TO_COMPLETION, "udriver-uio",
                        "udriver-uio-completion", "c-uio", "uio-intx-handoff-return"),
                row("uio factorial, C", FACTORIAL, "c-uio", "uio-factorial", null, null),
                row("uio factorial, Java FFM", FACTORIAL, "java-uio", "java-uio-factorial", "c-uio", "uio-factorial"),
                row("uio factorial, udriver", FACTORIAL_UDRIVER, "udriver-uio", "udriver-uio-factorial", "c-uio",
                        "uio-factorial"),
                row("vfio MSI factorial, C", FACTORIAL, "c-vfio-factorial", "vfio-msi-factorial", null, null),
                row("vfio MSI factorial, udriver", FACTORIAL_UDRIVER, "udriver-vfio", "udriver-vfio-msi-factorial",
                        "c-vfio-factorial", "vfio-msi-factorial"),
                row("vfio MSI, C", ONE_THREAD, "c-vfio-msi", "vfio-msi", null, null),
                row("vfio MSI, C hand-off", HANDOFF, "c-vfio-msi", "vfio-msi-handoff", "c-vfio-msi", "vfio-msi"),
                row("vfio MSI, udriver (raise to ISR)", TO_ISR, "udriver-vfio", "udriver-vfio-msi", "c-vfio-msi",
                        "vfio-msi-handoff"),
                row("vfio MSI, C hand-off return", HANDOFF_RETURN, "c-vfio-msi", "vfio-msi-handoff-return", null, null),
                row("vfio MSI, udriver (raise to work-item completion)", TO_COMPLETION, "udriver-vfio",
                        "udriver-vfio-msi-completion", "c-vfio-msi", "vfio-msi-handoff-return"),
                row("vfio INTx + unmask, C", ONE_THREAD, "c-vfio-intx", "vfio-intx", null, null),
                row("vfio INTx + unmask, C hand-off", HANDOFF, "c-vfio-intx", "vfio-intx-handoff", "c-vfio-intx",
                        "vfio-intx"),
                row("vfio INTx + unmask, udriver (raise to ISR)", TO_ISR, "udriver-vfio", "udriver-vfio-intx",
                        "c-vfio-intx", "vfio-intx-handoff"),
                row("vfio INTx + unmask, C hand-off return", HANDOFF_RETURN, "c-vfio-intx", "vfio-intx-handoff-return",
                        null, null),
                row("vfio INTx + unmask, udriver (raise to work-item completion)", TO_COMPLETION, "udriver-vfio",
                        "udriver-vfio-intx-completion", "c-vfio-intx", "vfio-intx-handoff-return"));
    }

    private static LatencyTable.Row row(String label, String measures, String step, String test, String refStep,
                                        String refTest) {
        return new LatencyTable.Row(label, measures, step, test, refStep, refTest);
    }

    private static List<String> latencyNotes() {
        return List.of(
                String.format(Locale.ROOT, "Guest: QEMU %s, one vCPU: emulation figures, so compare ratios. Every"
                        + " path measures %,d raises and %,d factorials (udriver: %d start/stop cycles of %,d raises"
                        + " and %,d factorials, the last 21 of each queued and not timed).", run.accelerator(), RAISES,
                        FACTORIALS, CYCLES, UDRIVER_RAISES, UDRIVER_FACTORIALS),
                String.format(Locale.ROOT, "Java rows (Java FFM, udriver) are measured after an unmeasured warm-up of"
                        + " %,d raises (udriver: a start/stop cycle of %,d raises and %,d factorials; Java FFM: also"
                        + " %,d factorials before its factorial loop), by which the C1 compiler (the guest runs"
                        + " -XX:TieredStopAtLevel=1) has compiled the path; C rows after %,d raises. Warm-up"
                        + " iterations are counted and checked like the others.", JAVA_WARMUP, JAVA_WARMUP,
                        UDRIVER_FACTORIALS, JAVA_FACTORIAL_WARMUP, C_WARMUP),
                "Same thread (C, Java FFM): the raising thread never sleeps; the interrupt is taken right after"
                        + " the MMIO write, before its read(). Hand-off (C): a handler thread waits in epoll_wait,"
                        + " reads the descriptor, reads and acknowledges the status and stamps the time, as"
                        + " udriver's dispatcher and ISR do; the raising thread sleeps on a futex meanwhile."
                        + " udriver: the raising thread waits on a CompletableFuture; times run from the"
                        + " System.nanoTime() the driver takes just before it writes the raise register (after"
                        + " its request bookkeeping) to the ISR's, taken after its acknowledge; the work item"
                        + " completes the future on the worker thread. All times are CLOCK_MONOTONIC.",
                "On one vCPU every hand-off is a context switch, paid once the raising thread sleeps; so udriver"
                        + " rows are set against the C hand-off rows (work-item completion: two hand-offs, against"
                        + " the C round trip's one), and the C hand-off rows against the same-thread C loop.");
    }

    /** Samples (the edu driver, its generated wiring and main), runtime and annotations, as built. */
    private static List<java.nio.file.Path> udriverClasspath() {
        return GuestPlan.classpathOf(EduMain.class, DeviceNode.class, OnInterruptIsr.class);
    }

    private static String[] udriverArgs(String via) {
        return new String[] {"--device", GuestPlan.BDF, "--via", via, "--raises", String.valueOf(UDRIVER_RAISES),
                "--factorials", String.valueOf(UDRIVER_FACTORIALS), "--cycles", String.valueOf(CYCLES),
                "--warmup", String.valueOf(JAVA_WARMUP)};
    }

    private static boolean required() {
        String env = System.getenv("UDRIVER_VM_REQUIRED");
        return Boolean.getBoolean("udriver.vm.required") || "1".equals(env) || "true".equalsIgnoreCase(env);
    }

    private static GuestResults.Step step(String name) {
        return run.results().step(name).orElseThrow(() -> new AssertionError("step " + name + " did not run; "
                + run.results().describe()));
    }

    /** Every raise claimed once: none lost, none spurious, the status register right every time, a quiet line after. */
    private static void assertExact(GuestResults.Step step, String test, long expected) {
        Map<String, String> r = step.result(test);
        String context = step.name() + " " + r;
        assertAll(context,
                () -> assertEquals(expected, step.number(test, "raised"), "raised"),
                () -> assertEquals(expected, step.number(test, "claimed"), "claimed"),
                () -> assertEquals(0, step.number(test, "lost"), "lost"),
                () -> assertEquals(0, step.number(test, "spurious"), "spurious"),
                () -> assertEquals(0, step.number(test, "wrong_status"), "wrong status"),
                () -> assertEquals(0, step.number(test, "idle_events"), "events without a raise"),
                () -> assertEquals("PASS", r.get("verdict"), "verdict"));
    }

    private static void assertStepOk(GuestResults.Step step) {
        assertEquals(0, step.exitStatus(), () -> step.name() + " exited with " + step.exitStatus()
                + (step.exitStatus() == 137 ? " (killed by its time limit)" : "") + ":\n" + step.output());
    }

    @Test
    void guestBootedBoundBothDriversAndFinished() {
        GuestResults r = run.results();
        assertAll(r.describe(),
                () -> assertTrue(r.finished(), "the guest ran its plan to the end"),
                () -> assertEquals(0, run.qemuExit(), "QEMU exit status"),
                () -> assertEquals(2, r.linesStartingWith("bind uio_pci_generic ok").size(),
                        "bound to uio_pci_generic, before and after vfio-pci"),
                () -> assertEquals(1, r.linesStartingWith("bind vfio-pci ok").size(), "bound to vfio-pci"));
    }

    @Test
    void stepsReportExitStatusOutputAndTimeLimit() {
        GuestResults.Step exit = step("exit-status");
        assertEquals(3, exit.exitStatus(), "exit status of a failing step");
        assertEquals(42, exit.number("probe", "value"));
        assertEquals(137, step("time-limit").exitStatus(), "a step over its time limit is killed");
    }

    @Test
    void cUioIntxClaimsEveryInterruptOnce() {
        GuestResults.Step s = step("c-uio");
        assertStepOk(s);
        assertCLoops(s, "uio-intx");
    }

    /** The one-thread loop and the hand-off loop (both its RESULT lines), warm-up included. */
    private static void assertCLoops(GuestResults.Step s, String test) {
        assertExact(s, test, C_WARMUP + RAISES);
        assertExact(s, test + "-handoff", C_WARMUP + RAISES);
        assertExact(s, test + "-handoff-return", C_WARMUP + RAISES);
        assertEquals(RAISES, s.number(test, "samples"), "measured after the warm-up");
        assertEquals(RAISES, s.number(test + "-handoff", "samples"), "measured after the warm-up");
    }

    @Test
    void cFactorialsCompleteWithTheirInterruptThroughUioAndVfioMsi() {
        GuestResults.Step uio = step("c-uio");
        assertExact(uio, "uio-factorial", FACTORIALS);
        assertEquals(0, uio.number("uio-factorial", "wrong_value"), "factorials the device got wrong (UIO)");
        GuestResults.Step msi = step("c-vfio-factorial");
        assertStepOk(msi);
        assertExact(msi, "vfio-msi-factorial", FACTORIALS);
        assertEquals(0, msi.number("vfio-msi-factorial", "wrong_value"), "factorials the device got wrong (MSI)");
    }

    @Test
    void cUioIntxAgainAfterVfioRelease() {
        GuestResults.Step s = step("c-uio-again");
        assertStepOk(s);
        assertCLoops(s, "uio-intx");
    }

    @Test
    void cVfioMsiClaimsEveryInterruptOnce() {
        GuestResults.Step s = step("c-vfio-msi");
        assertStepOk(s);
        assertCLoops(s, "vfio-msi");
    }

    @Test
    void cVfioIntxClaimsEveryInterruptOnce() {
        GuestResults.Step s = step("c-vfio-intx");
        assertStepOk(s);
        assertCLoops(s, "vfio-intx");
    }

    @Test
    void cVfioDmaThroughTheIommuCompletesWithAnInterruptAndRightBytes() {
        GuestResults.Step s = step("c-vfio-dma");
        assertStepOk(s);
        assertExact(s, "vfio-dma", 2 * DMA_ROUNDS);
        assertEquals(0, s.number("vfio-dma", "wrong_value"), "round trips whose bytes came back different");
    }

    /**
     * Raises and factorials of all cycles, the warm-up cycle included: each claimed once, with its
     * value, none lost or spurious; latencies only after the warm-up.
     */
    private static void assertUdriver(GuestResults.Step s, String via) {
        long raises = JAVA_WARMUP + (long) CYCLES * UDRIVER_RAISES;
        long factorials = (long) (CYCLES + 1) * UDRIVER_FACTORIALS;
        assertExact(s, "udriver-" + via, raises);
        assertExact(s, "udriver-" + via + "-completion", raises);
        assertExact(s, "udriver-" + via + "-factorial", factorials);
        assertEquals(0, s.number("udriver-" + via + "-factorial", "wrong_value"), "factorials the device got wrong");
        assertEquals(JAVA_WARMUP, s.number("udriver-" + via, "latency_from"), "raises of the warm-up");
        assertEquals(RAISES, s.number("udriver-" + via, "samples"), "raises measured after the warm-up");
        assertEquals(FACTORIALS, s.number("udriver-" + via + "-factorial", "samples"),
                "factorials measured after the warm-up");
        assertTrue(s.output().contains("INFO via=" + via), s.output());
    }

    @Test
    void udriverEduDriverThroughUioPciGenericAcrossStopStartCycles() {
        GuestResults.Step s = step("udriver-uio");
        assertStepOk(s);
        assertUdriver(s, "uio");
        assertTrue(s.output().contains("re-arm: PCI config space"), "uio_pci_generic re-arms through config space:\n"
                + s.output());
    }

    @Test
    void udriverEduDriverThroughVfioMsiAndIntxAcrossStopStartCycles() {
        GuestResults.Step s = step("udriver-vfio");
        assertStepOk(s);
        assertUdriver(s, "vfio-msi");
        assertUdriver(s, "vfio-intx");
        assertTrue(s.output().contains("bus master on"), "MSI with Bus Master Enable:\n" + s.output());
    }

    @Test
    void javaOnTheSharedJdkDrivesTheDeviceThroughFfm() {
        GuestResults.Step s = step("java-uio");
        assertStepOk(s);
        assertExact(s, "java-uio-intx", JAVA_WARMUP + RAISES);
        assertExact(s, "java-uio-factorial", JAVA_FACTORIAL_WARMUP + FACTORIALS);
        assertEquals(RAISES, s.number("java-uio-intx", "samples"), "raises measured after the warm-up");
        assertEquals(0, s.number("java-uio-factorial", "wrong_value"), "factorials the device got wrong");
    }

    @Test
    void gpioSimChipCreatedThroughConfigfs() {
        assertEquals(1, run.results().linesStartingWith("gpio-sim ok").size(), run.results().describe());
    }

    @Test
    void kernelLogHasNoWarningsAfterAllSteps() {
        GuestResults.Step s = step("kernel-log");
        assertEquals(0, s.number("kernel-log", "warnings"), s.output());
    }

    /** The interrupt accounting of a GPIO RESULT line: every signal served, nothing failed. */
    private static void assertGpioAccounted(GuestResults.Step s, String test, long signals) {
        assertAll(test + " " + s.result(test),
                () -> assertEquals(signals, s.number(test, "signals"), "signals: one per kernel edge record"),
                () -> assertEquals(s.number(test, "signals"), s.number(test, "isr_calls") + s.number(test, "coalesced")
                        + s.number(test, "dropped"), "signals == isrCalls + coalesced + dropped"),
                () -> assertEquals(s.number(test, "isr_calls"), s.number(test, "claimed"), "every ISR call claimed"),
                () -> assertEquals(0, s.number(test, "callback_failures"), "callback failures"));
    }

    /** Every edge once, in order, alternating, with the kernel's timestamps and sequence numbers. */
    private static void assertGpioEdges(GuestResults.Step s, String test) {
        long edges = 2L * GPIO_TOGGLES;
        assertAll(test + " " + s.result(test),
                () -> assertEquals(0, s.number(test, "timeouts"), "edges that never reached the ISR"),
                () -> assertEquals(edges, s.number(test, "taken"), "edges taken by the ISR"),
                () -> assertEquals(1, s.number(test, "first_rising"), "the first edge (from a low line) rises"),
                () -> assertEquals(0, s.number(test, "not_alternating"), "consecutive edges in the same direction"),
                () -> assertEquals(0, s.number(test, "ts_not_increasing"), "kernel timestamps not increasing"),
                () -> assertEquals(0, s.number(test, "ts_outside_write_window"),
                        "kernel timestamps outside [pull write, ISR saw it] (CLOCK_MONOTONIC)"),
                () -> assertEquals(0, s.number(test, "seq_breaks"), "seqno/line_seqno not contiguous"),
                () -> assertEquals(1, s.number(test, "seq_restarts"), "the new request after start counts from 1"),
                () -> assertEquals(0, s.number(test, "missed"), "edges missed"),
                () -> assertEquals(0, s.number(test, "wrong_offset"), "events for another line"),
                () -> assertEquals(0, s.number(test, "value_mismatches"), "line value not the pulled level"),
                () -> assertEquals(0, s.number(test, "stopped_edges_seen"), "edges made while stopped and seen"));
        assertGpioAccounted(s, test, edges);
    }

    @Test
    void udriverGpioSourceTakesBothEdgesOfARealKernelGpioLine() {
        GuestResults.Step s = step("udriver-gpio");
        assertStepOk(s);
        assertGpioEdges(s, "gpio-both");
        assertEquals("ebusy", s.result("gpio-busy").get("while_held"), "a second request while the line is held");
        assertEquals("ok", s.result("gpio-release").get("after_close"), "the line is released on close");
    }

    @Test
    void udriverGpioSourceWithKernelDebounce() {
        GuestResults.Step s = step("udriver-gpio");
        assertGpioEdges(s, "gpio-debounce");
    }

    @Test
    void gpioButtonSampleDriverCountsPressesOnARealKernelGpioLine() {
        GuestResults.Step s = step("udriver-gpio");
        String t = "gpio-button";
        long presses = GPIO_TOGGLES / 2;
        assertAll(t + " " + s.result(t),
                () -> assertEquals(presses, s.number(t, "presses")),
                () -> assertEquals(0, s.number(t, "timeouts")),
                () -> assertEquals(presses, s.number(t, "seen"), "presses the ISR counted"),
                () -> assertEquals(presses, s.number(t, "reported"), "presses the work items reported"),
                () -> assertEquals(0, s.number(t, "missed")));
        assertGpioAccounted(s, t, 2 * presses);
    }

    /** What the bouncing bursts wrote, and that they were written as the debounce test needs. */
    private static void assertBursts(GuestResults.Step s, String test) {
        long debounceMicros = GPIO_BOUNCE_DEBOUNCE_MS * 1_000L;
        assertAll(test + " " + s.result(test),
                () -> assertEquals(0, s.number(test, "timeouts"), "bursts whose edges never reached the ISR"),
                () -> assertEquals(2 * GPIO_BURSTS, s.number(test, "bursts"), "settling bursts and glitches"),
                () -> assertEquals(GPIO_BOUNCE_WRITES, s.number(test, "writes"), "pull toggles written"),
                () -> assertEquals(GPIO_BURSTS, s.number(test, "level_changes"), "bursts that left the other level"),
                () -> assertTrue(s.number(test, "burst_max_us") < debounceMicros,
                        "every burst (first to last toggle) shorter than the debounce period"),
                () -> assertTrue(s.number(test, "quiet_min_us") > debounceMicros,
                        "every quiet gap longer than the debounce period"));
    }

    /**
     * Bursts of toggles much faster than the debounce period: the kernel delivers exactly one edge
     * per burst that settles on the other level, a debounce period after its last bounce, and none
     * for a glitch; edges alternate, numbered 1, 2, 3, ... with nothing missed.
     */
    @Test
    void gpioKernelDebounceFiltersBouncesToOneEdgePerSettledBurst() {
        GuestResults.Step s = step("udriver-gpio");
        String t = "gpio-bounce-debounced";
        assertBursts(s, t);
        long debounceMicros = GPIO_BOUNCE_DEBOUNCE_MS * 1_000L;
        assertAll(t + " " + s.result(t),
                () -> assertEquals(debounceMicros, s.number(t, "debounce_us"), "debounce period requested"),
                () -> assertEquals(GPIO_BURSTS, s.number(t, "expected_edges"), "one edge per level change"),
                () -> assertEquals(GPIO_BURSTS, s.number(t, "taken"), "edges taken by the ISR"),
                () -> assertEquals(0, s.number(t, "burst_mismatches"),
                        "bursts (by kernel timestamp) with other than one edge when settling, none when a glitch"),
                () -> assertEquals(0, s.number(t, "outside_bursts"), "edges timestamped outside the bursts"),
                () -> assertEquals(0, s.number(t, "wrong_direction"), "edges not to the level the burst settled on"),
                () -> assertEquals(0, s.number(t, "ts_not_increasing"), "kernel timestamps not increasing"),
                () -> assertEquals(0, s.number(t, "seq_breaks"), "seqno/line_seqno not 1, 2, 3, ..."),
                () -> assertEquals(0, s.number(t, "missed"), "edges missed"),
                () -> assertEquals(0, s.number(t, "wrong_offset"), "events for another line"),
                // The kernel stamps a debounced edge when its timer expires: a period, counted in
                // jiffies (at most 10 ms each), after the last toggle's interrupt.
                () -> assertTrue(s.number(t, "after_last_toggle_min_us") >= debounceMicros - 10_000,
                        "edges come a debounce period after the burst's last toggle"));
        assertGpioAccounted(s, t, GPIO_BURSTS);
    }

    /** The control, in the same boot: the same bursts without debounce deliver every toggle. */
    @Test
    void gpioWithoutDebounceDeliversEveryBounce() {
        GuestResults.Step s = step("udriver-gpio");
        String t = "gpio-bounce-raw";
        assertBursts(s, t);
        assertAll(t + " " + s.result(t),
                () -> assertEquals(0, s.number(t, "debounce_us"), "no debounce"),
                () -> assertEquals(GPIO_BOUNCE_WRITES, s.number(t, "expected_edges"), "one edge per toggle"),
                () -> assertEquals(GPIO_BOUNCE_WRITES, s.number(t, "taken"), "edges taken by the ISR"),
                () -> assertEquals(0, s.number(t, "burst_mismatches"), "bursts (by kernel timestamp) not all edges"),
                () -> assertEquals(0, s.number(t, "outside_bursts"), "edges timestamped outside the bursts"),
                () -> assertEquals(0, s.number(t, "wrong_direction"), "edges not to the level written"),
                () -> assertEquals(0, s.number(t, "ts_not_increasing"), "kernel timestamps not increasing"),
                () -> assertEquals(0, s.number(t, "seq_breaks"), "seqno/line_seqno not 1, 2, 3, ..."),
                () -> assertEquals(0, s.number(t, "missed"), "edges missed"),
                () -> assertEquals(0, s.number(t, "wrong_offset"), "events for another line"),
                () -> assertTrue(s.number(t, "after_last_toggle_max_us") < GPIO_BOUNCE_DEBOUNCE_MS * 1_000L - 10_000,
                        "edges stamped when toggled, before a debounced edge could be"));
        assertGpioAccounted(s, t, GPIO_BOUNCE_WRITES);
    }

    /** The sample button driver on the debounced line counts one press per burst that settles low. */
    @Test
    void gpioButtonSampleDriverCountsBouncingPressesOnce() {
        GuestResults.Step s = step("udriver-gpio");
        String t = "gpio-button-bounce";
        // From released (high), the settling bursts alternate: press, release, press, ...
        long presses = (GPIO_BURSTS + 1) / 2;
        assertAll(t + " " + s.result(t),
                () -> assertEquals(0, s.number(t, "timeouts")),
                () -> assertEquals(GPIO_BOUNCE_DEBOUNCE_MS * 1_000L, s.number(t, "debounce_us")),
                () -> assertEquals(GPIO_BOUNCE_WRITES, s.number(t, "writes"), "pull toggles written"),
                () -> assertEquals(GPIO_BURSTS, s.number(t, "level_changes"), "bursts that left the other level"),
                () -> assertEquals(presses, s.number(t, "presses"), "bursts that settled low"),
                () -> assertEquals(presses, s.number(t, "seen"), "presses the ISR counted"),
                () -> assertEquals(presses, s.number(t, "reported"), "presses the work items reported"),
                () -> assertEquals(0, s.number(t, "missed")),
                () -> assertTrue(s.number(t, "burst_max_us") < GPIO_BOUNCE_DEBOUNCE_MS * 1_000L,
                        "every burst shorter than the debounce period"));
        assertGpioAccounted(s, t, GPIO_BURSTS);
    }

    /**
     * With the dispatcher held in the ISR, the kernel keeps the newest {@value #GPIO_KERNEL_BUFFER}
     * edges: the ISR then sees the edge it held on, those, and one sequence gap for the rest.
     */
    @Test
    void gpioKernelBufferOverflowShowsAsASequenceGap() {
        GuestResults.Step s = step("udriver-gpio");
        String t = "gpio-overflow";
        long edges = 1 + 2L * GPIO_TOGGLES;
        assertAll(t + " " + s.result(t),
                () -> assertEquals("true", s.result(t).get("held"), "the ISR held the dispatcher"),
                () -> assertEquals(edges, s.number(t, "edges")),
                () -> assertEquals(1 + GPIO_KERNEL_BUFFER, s.number(t, "taken"), "the held edge and the kernel's buffer"),
                () -> assertEquals(edges - 1 - GPIO_KERNEL_BUFFER, s.number(t, "missed"), "dropped by the kernel"),
                () -> assertEquals(1, s.number(t, "gaps"), "one gap, before the oldest buffered edge"),
                () -> assertEquals(edges, s.number(t, "last_seqno"), "the kernel numbered every edge"));
        assertGpioAccounted(s, t, 1 + GPIO_KERNEL_BUFFER);
    }

    /**
     * The same burst on a request whose event buffer ({@value #GPIO_EVENT_BUFFER}) holds it: the
     * ISR takes every edge, none missed, no gap.
     */
    @Test
    void gpioEventBufferSizeChosenByTheDriverHoldsTheBurst() {
        GuestResults.Step s = step("udriver-gpio");
        String t = "gpio-buffered";
        long edges = 1 + 2L * GPIO_TOGGLES;
        assertAll(t + " " + s.result(t),
                () -> assertEquals(GPIO_EVENT_BUFFER, s.number(t, "event_buffer"), "event_buffer_size requested"),
                () -> assertEquals("true", s.result(t).get("held"), "the ISR held the dispatcher"),
                () -> assertEquals("true", s.result(t).get("drained"), "every edge reached the ISR"),
                () -> assertEquals(edges, s.number(t, "edges")),
                () -> assertEquals(edges, s.number(t, "taken"), "the held edge and the whole burst"),
                () -> assertEquals(0, s.number(t, "missed"), "dropped by the kernel"),
                () -> assertEquals(0, s.number(t, "gaps"), "sequence gaps"),
                () -> assertEquals(edges, s.number(t, "last_seqno"), "the kernel numbered every edge"));
        assertGpioAccounted(s, t, edges);
    }
}
