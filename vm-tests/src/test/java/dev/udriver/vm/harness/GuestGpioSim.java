package dev.udriver.vm.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The gpio-sim module for the guest kernel, built out of tree: Debian builds its kernel without
 * {@code CONFIG_GPIO_SIM} (and without {@code CONFIG_IRQ_SIM}, which gpio-sim needs), so the two
 * source files come from {@code linux-source-<major.minor>} and are compiled against
 * {@code linux-headers-<release>} (with its {@code -common} and {@code linux-kbuild-*}
 * dependencies), all of the kernel's exact package version, into one {@code gpio-sim.ko} with
 * {@code src/test/kmod/Kbuild}.
 *
 * <p>Cached under {@code <cache>/gpio-sim_<kernel package>_<version>}: the three extracted source
 * files ({@code src/}) and the module; the 139 MB source package and the headers are fetched into
 * the scratch folder and deleted after the build.
 *
 * <p>One change to the sources: {@code irq_sim.c} calls {@code handle_simple_irq(irq_to_desc(n))},
 * and {@code irq_to_desc} is not exported to modules; {@code generic_handle_irq_safe(n)} (exported)
 * runs the same flow handler that {@code irq_sim} installs on every interrupt of its domain,
 * {@code handle_simple_irq}, with local interrupts off.
 */
final class GuestGpioSim {
    static final String MODULE = "gpio-sim";
    private static final String IRQ_SIM_CALL = "handle_simple_irq(irq_to_desc(irqnum));";
    private static final String IRQ_SIM_EXPORTED = "generic_handle_irq_safe(irqnum);";
    private static final List<String> SOURCES = List.of("drivers/gpio/gpio-sim.c", "drivers/gpio/gpiolib.h",
            "kernel/irq/irq_sim.c");
    private static final Duration EXTRACT_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration BUILD_TIMEOUT = Duration.ofSeconds(240);

    private GuestGpioSim() {}

    /** The module for {@code kernel}, from the cache or built now. */
    static Path module(GuestKernel kernel, Path cache, Path kbuild, Path scratch)
            throws IOException, VmUnavailableException {
        DebianPackages.Candidate image = kernel.imagePackage();
        Path dir = cache.resolve(MODULE + "_" + image.key());
        Path ko = dir.resolve(MODULE + ".ko");
        if (Files.isRegularFile(ko)) {
            return ko;
        }
        for (String tool : List.of("make", "gcc")) {
            if (HostCommand.find(tool).isEmpty()) {
                throw new VmUnavailableException(tool + " not found: gpio-sim is built for the guest kernel on the"
                        + " host (apt-get install make gcc)");
            }
        }
        DebianPackages.requireTools();
        Files.createDirectories(dir);
        Files.createDirectories(scratch);
        Path work = Files.createTempDirectory(scratch, "gpio-sim-");
        try {
            Path src = sources(kernel, image.version(), dir.resolve("src"), work);
            Path headers = headers(kernel, image.version(), work);
            Path mod = work.resolve("mod");
            Files.createDirectories(mod);
            Files.copy(kbuild, mod.resolve("Kbuild"));
            Files.copy(src.resolve("gpio-sim.c"), mod.resolve("gpio-sim-core.c"));
            Files.copy(src.resolve("gpiolib.h"), mod.resolve("gpiolib.h"));
            String irqSim = Files.readString(src.resolve("irq_sim.c"));
            if (!irqSim.contains(IRQ_SIM_CALL)) {
                throw new IOException("irq_sim.c of " + image.version() + " no longer calls " + IRQ_SIM_CALL
                        + "; check whether it still needs the substitution");
            }
            Files.writeString(mod.resolve("irq_sim.c"), irqSim.replace(IRQ_SIM_CALL, IRQ_SIM_EXPORTED));
            HostCommand.Result r = HostCommand.run(work, BUILD_TIMEOUT, "make", "-C", headers.toString(),
                    "M=" + mod, "modules");
            if (!r.ok() || !Files.isRegularFile(mod.resolve(MODULE + ".ko"))) {
                throw new IOException("building gpio-sim.ko for " + kernel.release() + " failed: " + r.describe());
            }
            Path tmp = dir.resolve(MODULE + ".ko.tmp");
            Files.copy(mod.resolve(MODULE + ".ko"), tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, ko, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return ko;
        } finally {
            GuestKernel.deleteTree(work);
        }
    }

    /** gpio-sim.c, gpiolib.h and irq_sim.c of the kernel's version, extracted once into {@code into}. */
    private static Path sources(GuestKernel kernel, String version, Path into, Path work)
            throws IOException, VmUnavailableException {
        if (SOURCES.stream().allMatch(s -> Files.isRegularFile(into.resolve(fileName(s))))) {
            return into;
        }
        String[] release = kernel.release().split("[.-]");
        DebianPackages.Candidate pkg = new DebianPackages.Candidate("linux-source-" + release[0] + "." + release[1],
                version);
        Path deb = DebianPackages.download(pkg, work.resolve("source-deb"));
        Path tree = work.resolve("source");
        Files.createDirectories(tree);
        // The .deb holds one tarball of the whole tree; only its three files are written out.
        StringBuilder script = new StringBuilder("dpkg-deb --fsys-tarfile \"$0\" | tar -xO --wildcards"
                + " './usr/src/linux-source-*.tar.xz' | tar -xJ -C \"$1\" --wildcards");
        for (String s : SOURCES) {
            script.append(" '*/").append(s).append('\'');
        }
        HostCommand.Result r = HostCommand.run(work, EXTRACT_TIMEOUT, "sh", "-c", script.toString(), deb.toString(),
                tree.toString());
        Files.delete(deb);
        Path staged = work.resolve("src");
        Files.createDirectories(staged);
        for (String s : SOURCES) {
            Optional<Path> found;
            try (var all = Files.walk(tree)) {
                found = all.filter(p -> p.endsWith(s)).findFirst();
            }
            if (found.isEmpty()) {
                throw new VmUnavailableException(pkg.name() + " " + version + " has no " + s + ": " + r.describe());
            }
            Files.copy(found.get(), staged.resolve(fileName(s)));
        }
        GuestKernel.deleteTree(into);
        Files.move(staged, into, StandardCopyOption.ATOMIC_MOVE);
        return into;
    }

    /**
     * linux-headers-RELEASE and the two packages it depends on, unpacked into {@code work}; the
     * folder to run make in. Its Makefile includes the -common tree by absolute path, which is
     * pointed at the unpacked copy.
     */
    private static Path headers(GuestKernel kernel, String version, Path work)
            throws IOException, VmUnavailableException {
        String flavour = "linux-headers-" + kernel.release();
        List<String> names = new java.util.ArrayList<>(List.of(flavour));
        for (String prefix : List.of("linux-headers-", "linux-kbuild-")) {
            names.add(DebianPackages.dependencyOf(flavour, prefix, work).orElseThrow(() -> new VmUnavailableException(
                    "apt-cache names no " + prefix + "* dependency of " + flavour)));
        }
        Path root = work.resolve("headers");
        for (String name : names) {
            Path deb = DebianPackages.download(new DebianPackages.Candidate(name, version), work.resolve("deb"));
            DebianPackages.extract(deb, root, EXTRACT_TIMEOUT, "./usr/*");
            Files.delete(deb);
        }
        Path dir = root.resolve("usr/src/" + flavour);
        Path makefile = dir.resolve("Makefile");
        if (!Files.isRegularFile(makefile)) {
            throw new VmUnavailableException(flavour + " " + version + " has no Makefile in /usr/src/" + flavour);
        }
        Files.writeString(makefile, Files.readString(makefile).replace(" /usr/src/", " " + root + "/usr/src/"));
        return dir;
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
