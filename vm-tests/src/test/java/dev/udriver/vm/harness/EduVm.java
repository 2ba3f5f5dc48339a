package dev.udriver.vm.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Boots a QEMU guest with an {@code edu} device once and runs a {@link GuestPlan} in it.
 *
 * <p>Machine: q35 with an emulated Intel IOMMU (interrupt remapping; without it vfio-pci cannot
 * bind: the Debian kernel has no no-IOMMU mode), one vCPU, 512 MiB, no network. Accelerator: KVM
 * only when {@code /sys/module/kvm_intel} or {@code /sys/module/kvm_amd} exists (a {@code /dev/kvm}
 * from another module, such as kvm_pvm, cannot run a stock kernel), otherwise TCG. Three 9p shares:
 * the JDK and the build root read-only at their host paths, and a writable results folder. QEMU
 * runs under {@code nice -n 10}.
 */
public final class EduVm {

    /** Where things are. {@link #fromSystemProperties()} reads the surefire configuration. */
    public record Config(Path work, Path cache, Path sources, Path buildRoot, Path jdk, Duration timeout,
                         String accel) {
        public static Config fromSystemProperties() {
            Path work = Path.of(System.getProperty("udriver.vm.work", "target/vm")).toAbsolutePath();
            String cache = System.getProperty("udriver.vm.cache", "");
            Path cacheDir;
            if (!cache.isBlank()) {
                cacheDir = Path.of(cache);
            } else if (System.getenv("XDG_CACHE_HOME") != null && !System.getenv("XDG_CACHE_HOME").isBlank()) {
                cacheDir = Path.of(System.getenv("XDG_CACHE_HOME"), "udriver-vm");
            } else {
                cacheDir = Path.of(System.getProperty("user.home"), ".cache", "udriver-vm");
            }
            Path sources = Path.of(System.getProperty("udriver.vm.sources", "src/test")).toAbsolutePath();
            Path root = Path.of(System.getProperty("udriver.vm.buildRoot", "..")).toAbsolutePath().normalize();
            Path jdk = Path.of(System.getProperty("udriver.vm.jdk", System.getProperty("java.home")));
            Duration timeout = Duration.ofSeconds(Long.getLong("udriver.vm.timeoutSeconds", 180));
            return new Config(work, cacheDir.toAbsolutePath(), sources, root, jdk, timeout,
                    System.getProperty("udriver.vm.accel", "auto"));
        }
    }

    /** The outcome of one boot. */
    public record Run(GuestResults results, GuestKernel kernel, String accelerator, Map<String, Duration> timings,
                      int qemuExit, List<String> qemuCommand) {
        public String describeTimings() {
            StringBuilder s = new StringBuilder();
            timings.forEach((k, v) -> s.append(s.isEmpty() ? "" : ", ").append(k).append(' ')
                    .append(String.format("%.1f s", v.toMillis() / 1000.0)));
            return s.toString();
        }
    }

    private static final List<String> C_PROGRAMS = List.of("uio_test", "vfio_test");

    private EduVm() {}

    /** Checks the host, prepares kernel and initramfs, boots, runs the plan, returns what came back. */
    public static Run run(Config config, GuestPlan plan) throws IOException, VmUnavailableException {
        String qemuName = System.getProperty("udriver.vm.qemu", "qemu-system-x86_64");
        Path qemu = (qemuName.contains("/") ? java.util.Optional.of(Path.of(qemuName)).filter(Files::isExecutable)
                : HostCommand.find(qemuName)).orElseThrow(() -> new VmUnavailableException(
                qemuName + " not found (Debian: apt-get install qemu-system-x86)"));
        checkJdk(config.jdk());
        Map<String, Duration> timings = new LinkedHashMap<>();
        Files.createDirectories(config.work());

        long t0 = System.nanoTime();
        GuestKernel kernel = GuestKernel.obtain(config.cache(), config.work().resolve("scratch"));
        Path busybox = GuestImage.busybox(config.cache(), config.work().resolve("scratch"));
        long t1 = System.nanoTime();
        timings.put("kernel+busybox (" + kernel.origin() + ")", Duration.ofNanos(t1 - t0));

        // gpio-sim is built only for plans that use it; a failed build is reported to the guest (and
        // so to the steps that needed the chip) rather than stopping the other steps.
        List<Path> extraModules = new ArrayList<>();
        String gpioSimProblem = "";
        if (plan.needsGpioSim()) {
            try {
                extraModules.add(GuestGpioSim.module(kernel, config.cache(), config.sources().resolve("kmod/Kbuild"),
                        config.work().resolve("scratch")));
            } catch (IOException | VmUnavailableException e) {
                gpioSimProblem = e.getMessage().replaceAll("\\s+", " ");
                System.err.println("udriver-vm: no gpio-sim module: " + e.getMessage());
            }
            long tg = System.nanoTime();
            timings.put("gpio-sim module", Duration.ofNanos(tg - t1));
            t1 = tg;
        }
        List<Path> programs = GuestImage.compile(config.sources().resolve("c"), C_PROGRAMS,
                config.work().resolve("bin"));
        Set<Path> libs = GuestImage.jdkLibraries(config.jdk());
        Path initrd = config.work().resolve("initrd.cpio");
        GuestImage.write(initrd, config.sources().resolve("vm/init"), busybox, kernel, extraModules, programs,
                libs);
        long t2 = System.nanoTime();
        timings.put("initramfs", Duration.ofNanos(t2 - t1));

        Path out = config.work().resolve("out");
        GuestKernel.deleteTree(out);
        Files.createDirectories(out);
        Files.writeString(out.resolve("plan.env"), "JDK=" + GuestPlan.quote(config.jdk().toString()) + "\nBUILD="
                + GuestPlan.quote(config.buildRoot().toString()) + "\nWATCHDOG=" + config.timeout().toSeconds()
                + "\nGPIO_SIM_PROBLEM=" + GuestPlan.quote(gpioSimProblem) + "\n");
        List<Path> copied = new ArrayList<>();
        Files.writeString(out.resolve("plan.sh"), plan.script(p -> guestPath(p, config.buildRoot(), out, copied)));

        String accel = accelerator(config.accel());
        Path serial = config.work().resolve("serial.log");
        Files.deleteIfExists(serial);
        List<String> command = new ArrayList<>();
        HostCommand.find("nice").ifPresent(nice -> command.addAll(List.of(nice.toString(), "-n", "10")));
        command.addAll(List.of(qemu.toString(), "-accel", accel, "-cpu", accel.equals("kvm") ? "host" : "max",
                "-machine", "q35,kernel-irqchip=split", "-smp", "1", "-m", "512",
                "-nodefaults", "-display", "none", "-no-reboot", "-serial", "file:" + serial,
                "-device", "intel-iommu,intremap=on", "-device", "edu",
                "-virtfs", share(config.jdk(), "jdk", true),
                "-virtfs", share(config.buildRoot(), "build", true),
                "-virtfs", share(out, "out", false),
                "-kernel", kernel.bootImage().toString(), "-initrd", initrd.toString(),
                // no_timer_check: under TCG on a busy host the IO-APIC timer check can miss its window
                // and panic ("timer doesn't work through Interrupt-remapped IO-APIC").
                "-append", "console=ttyS0 quiet panic=-1 intel_iommu=on no_timer_check"));
        // A guest that dies before it reaches the results share (an early kernel panic under a loaded
        // host, say) ran no step: boot once more. Anything later counts as it is.
        HostCommand.Result qemuRun = HostCommand.run(config.work(), config.timeout(), command);
        String log = Files.exists(serial) ? Files.readString(serial) : "";
        if (!Files.exists(out.resolve("results"))) {
            System.err.println("udriver-vm: the guest did not reach its results share; booting again. Console tail:\n"
                    + tail(log, 1500));
            if (Files.exists(serial)) {
                Files.move(serial, config.work().resolve("serial-first-boot.log"), StandardCopyOption.REPLACE_EXISTING);
            }
            qemuRun = HostCommand.run(config.work(), config.timeout(), command);
            log = Files.exists(serial) ? Files.readString(serial) : "";
        }
        long t3 = System.nanoTime();
        timings.put("vm", Duration.ofNanos(t3 - t2));

        if (!qemuRun.output().isBlank()) {
            log = log + "\n[qemu] " + qemuRun.output();
        }
        GuestResults results = GuestResults.read(out, log);
        return new Run(results, kernel, accel, timings, qemuRun.exit(), command);
    }

    private static String tail(String s, int n) {
        return s.length() <= n ? s : "..." + s.substring(s.length() - n);
    }

    private static void checkJdk(Path jdk) throws VmUnavailableException, IOException {
        Path release = jdk.resolve("release");
        if (!Files.isExecutable(jdk.resolve("bin/java")) || !Files.exists(release)) {
            throw new VmUnavailableException("no JDK at " + jdk + " to share into the guest");
        }
        String version = Files.readAllLines(release).stream().filter(l -> l.startsWith("JAVA_VERSION="))
                .map(l -> l.substring("JAVA_VERSION=".length()).replace("\"", "")).findFirst().orElse("0");
        int feature = Integer.parseInt(version.split("[.+-]")[0]);
        if (feature < 25) {
            throw new VmUnavailableException("the guest JDK at " + jdk + " is " + version + "; 25 or newer is needed");
        }
    }

    /** KVM only where a real KVM module is loaded; TCG otherwise. */
    static String accelerator(String requested) {
        if (!requested.equals("auto")) {
            return requested;
        }
        boolean realKvm = Files.isDirectory(Path.of("/sys/module/kvm_intel"))
                || Files.isDirectory(Path.of("/sys/module/kvm_amd"));
        Path dev = Path.of("/dev/kvm");
        return realKvm && Files.isReadable(dev) && Files.isWritable(dev) ? "kvm" : "tcg";
    }

    private static String share(Path path, String tag, boolean readOnly) {
        return "local,path=" + path.toString().replace(",", ",,") + ",mount_tag=" + tag + ",security_model=none"
                + (readOnly ? ",readonly=on" : "");
    }

    /** Guest path of a classpath entry: unchanged under the build root, else a copy in the results share. */
    private static String guestPath(Path entry, Path buildRoot, Path out, List<Path> copied) {
        Path p = entry.toAbsolutePath().normalize();
        if (p.startsWith(buildRoot)) {
            return p.toString();
        }
        Path target = out.resolve("cp").resolve(copied.size() + "-" + p.getFileName());
        copied.add(p);
        try {
            Files.createDirectories(target.getParent());
            if (Files.isDirectory(p)) {
                try (Stream<Path> all = Files.walk(p)) {
                    for (Path f : all.toList()) {
                        Path to = target.resolve(p.relativize(f).toString());
                        if (Files.isDirectory(f)) {
                            Files.createDirectories(to);
                        } else {
                            Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            } else {
                Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "/out/" + out.relativize(target);
    }
}
