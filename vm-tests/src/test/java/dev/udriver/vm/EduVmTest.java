package dev.udriver.vm;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.udriver.annotation.OnInterruptIsr;
import dev.udriver.runtime.DeviceNode;
import dev.udriver.samples.edu.EduMain;
import dev.udriver.vm.guest.EduUioProbe;
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
 * cycles, with its latencies set against the C loops of the same boot. On a host without QEMU (or without the Debian kernel package) every test is skipped with
 * the reason, unless {@code -Dudriver.vm.required=true} or {@code UDRIVER_VM_REQUIRED=1} asks for
 * a failure instead.
 */
class EduVmTest {
    private static final int RAISES = 10_000;
    private static final int JAVA_RAISES = 5_000;
    private static final int FACTORIALS = 2_000;
    /** Each DMA round trip is two transfers, each 100 ms of the device's virtual-clock timer. */
    private static final int DMA_ROUNDS = 5;
    /** The udriver edu driver: per start/stop cycle, raises one at a time and factorials (the last 21 queued). */
    private static final int CYCLES = 3;
    private static final int UDRIVER_RAISES = 2_000;
    private static final int UDRIVER_FACTORIALS = 400;

    private static EduVm.Run run;

    @BeforeAll
    static void boot() throws Exception {
        GuestPlan plan = new GuestPlan()
                .run("exit-status", 10, "/bin/sh", "-c", "echo RESULT test=probe value=42; exit 3")
                .run("time-limit", 1, "/bin/sleep", "30")
                .bindUio()
                .run("c-uio", 60, "/bin/uio_test", GuestPlan.UIO, String.valueOf(RAISES), String.valueOf(FACTORIALS))
                .java("java-uio", 90, GuestPlan.classpathOf(EduUioProbe.class), EduUioProbe.class.getName(), GuestPlan.UIO,
                        String.valueOf(JAVA_RAISES), String.valueOf(FACTORIALS))
                .java("udriver-uio", 90, udriverClasspath(), EduMain.class.getName(), udriverArgs("uio"))
                .bindVfio()
                .run("c-vfio-msi", 60, "/bin/vfio_test", GuestPlan.BDF, "msi", String.valueOf(RAISES))
                .run("c-vfio-intx", 60, "/bin/vfio_test", GuestPlan.BDF, "intx", String.valueOf(RAISES))
                .run("c-vfio-factorial", 30, "/bin/vfio_test", GuestPlan.BDF, "factorial", String.valueOf(FACTORIALS))
                .run("c-vfio-dma", 30, "/bin/vfio_test", GuestPlan.BDF, "dma", String.valueOf(DMA_ROUNDS))
                .java("udriver-vfio", 120, udriverClasspath(), EduMain.class.getName(),
                        udriverArgs("vfio-msi,vfio-intx"))
                .bindUio()
                .run("c-uio-again", 60, "/bin/uio_test", GuestPlan.UIO, String.valueOf(RAISES));
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
        String table = LatencyTable.render(run.results(), List.of(
                new LatencyTable.Row("uio_pci_generic INTx, C", "c-uio", "uio-intx", null, null),
                new LatencyTable.Row("uio_pci_generic INTx, Java FFM", "java-uio", "java-uio-intx", "c-uio", "uio-intx"),
                new LatencyTable.Row("uio_pci_generic INTx, udriver (raise to ISR)", "udriver-uio", "udriver-uio",
                        "c-uio", "uio-intx"),
                new LatencyTable.Row("uio_pci_generic INTx, udriver (raise to work-item completion)", "udriver-uio",
                        "udriver-uio-completion", "c-uio", "uio-intx"),
                new LatencyTable.Row("uio factorial completion, C", "c-uio", "uio-factorial", null, null),
                new LatencyTable.Row("uio factorial completion, Java FFM", "java-uio", "java-uio-factorial", "c-uio",
                        "uio-factorial"),
                new LatencyTable.Row("uio factorial completion, udriver", "udriver-uio", "udriver-uio-factorial",
                        "c-uio", "uio-factorial"),
                new LatencyTable.Row("vfio-pci MSI factorial completion, C", "c-vfio-factorial", "vfio-msi-factorial",
                        null, null),
                new LatencyTable.Row("vfio-pci MSI factorial completion, udriver", "udriver-vfio",
                        "udriver-vfio-msi-factorial", "c-vfio-factorial", "vfio-msi-factorial"),
                new LatencyTable.Row("vfio-pci MSI, C", "c-vfio-msi", "vfio-msi", null, null),
                new LatencyTable.Row("vfio-pci MSI, udriver (raise to ISR)", "udriver-vfio", "udriver-vfio-msi",
                        "c-vfio-msi", "vfio-msi"),
                new LatencyTable.Row("vfio-pci MSI, udriver (raise to work-item completion)", "udriver-vfio",
                        "udriver-vfio-msi-completion", "c-vfio-msi", "vfio-msi"),
                new LatencyTable.Row("vfio-pci INTx + unmask, C", "c-vfio-intx", "vfio-intx", null, null),
                new LatencyTable.Row("vfio-pci INTx + unmask, udriver (raise to ISR)", "udriver-vfio",
                        "udriver-vfio-intx", "c-vfio-intx", "vfio-intx"),
                new LatencyTable.Row("vfio-pci INTx + unmask, udriver (raise to work-item completion)",
                        "udriver-vfio", "udriver-vfio-intx-completion", "c-vfio-intx", "vfio-intx")));
        Files.writeString(EduVm.Config.fromSystemProperties().work().resolve("latency.md"), table);
        System.err.print(table.lines().map(l -> "udriver-vm-tests: " + l + "\n").collect(Collectors.joining()));
    }

    /** Samples (the edu driver, its generated wiring and main), runtime and annotations, as built. */
    private static List<java.nio.file.Path> udriverClasspath() {
        return GuestPlan.classpathOf(EduMain.class, DeviceNode.class, OnInterruptIsr.class);
    }

    private static String[] udriverArgs(String via) {
        return new String[] {"--device", GuestPlan.BDF, "--via", via, "--raises", String.valueOf(UDRIVER_RAISES),
                "--factorials", String.valueOf(UDRIVER_FACTORIALS), "--cycles", String.valueOf(CYCLES)};
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
        assertExact(s, "uio-intx", RAISES);
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
        assertExact(s, "uio-intx", RAISES);
    }

    @Test
    void cVfioMsiClaimsEveryInterruptOnce() {
        GuestResults.Step s = step("c-vfio-msi");
        assertStepOk(s);
        assertExact(s, "vfio-msi", RAISES);
    }

    @Test
    void cVfioIntxClaimsEveryInterruptOnce() {
        GuestResults.Step s = step("c-vfio-intx");
        assertStepOk(s);
        assertExact(s, "vfio-intx", RAISES);
    }

    @Test
    void cVfioDmaThroughTheIommuCompletesWithAnInterruptAndRightBytes() {
        GuestResults.Step s = step("c-vfio-dma");
        assertStepOk(s);
        assertExact(s, "vfio-dma", 2 * DMA_ROUNDS);
        assertEquals(0, s.number("vfio-dma", "wrong_value"), "round trips whose bytes came back different");
    }

    /** Raises and factorials of all cycles: each claimed once, with its value, none lost or spurious. */
    private static void assertUdriver(GuestResults.Step s, String via) {
        long raises = (long) CYCLES * UDRIVER_RAISES;
        long factorials = (long) CYCLES * UDRIVER_FACTORIALS;
        assertExact(s, "udriver-" + via, raises);
        assertExact(s, "udriver-" + via + "-completion", raises);
        assertExact(s, "udriver-" + via + "-factorial", factorials);
        assertEquals(0, s.number("udriver-" + via + "-factorial", "wrong_value"), "factorials the device got wrong");
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
        assertExact(s, "java-uio-intx", JAVA_RAISES);
        assertExact(s, "java-uio-factorial", FACTORIALS);
        assertEquals(0, s.number("java-uio-factorial", "wrong_value"), "factorials the device got wrong");
    }
}
