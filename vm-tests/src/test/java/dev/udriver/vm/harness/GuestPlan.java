package dev.udriver.vm.harness;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What the guest does in its one boot, in order: rebinding the edu device and running steps.
 * Rendered into the shell script that the guest's {@code /init} sources.
 *
 * <p>Arguments are passed literally, except the placeholders {@link #BDF}, {@link #UIO},
 * {@link #VFIO_GROUP}, {@link #GPIO_CHIP} and {@link #GPIO_SIM}, which the guest fills in (the
 * device's PCI address, its {@code uioN} name after {@link #bindUio()}, its IOMMU group after
 * {@link #bindVfio()}, the simulated GPIO chip's node and sysfs folder after {@link #gpioSim(int)}).
 */
public final class GuestPlan {
    public static final String BDF = "${EDU_BDF}";
    public static final String UIO = "${EDU_UIO}";
    public static final String VFIO_GROUP = "${EDU_VFIO_GROUP}";
    /** The gpio-sim chip's node, {@code /dev/gpiochipN}. */
    public static final String GPIO_CHIP = "${GPIO_CHIP}";
    /** The gpio-sim chip's sysfs folder, holding {@code sim_gpioK/pull} and {@code sim_gpioK/value}. */
    public static final String GPIO_SIM = "${GPIO_SIM}";

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

    private sealed interface Action permits Bind, GpioSim, Run, Java {}

    private record GpioSim(int lines) implements Action {}

    private record Bind(String driver) implements Action {}

    private record Run(String name, int timeoutSeconds, List<String> argv) implements Action {}

    private record Java(String name, int timeoutSeconds, List<Path> classpath, List<String> jvmOptions,
                        String mainClass, List<String> args) implements Action {}

    private final List<Action> actions = new ArrayList<>();
    private final List<String> names = new ArrayList<>();

    /** Binds the edu device to uio_pci_generic (through driver_override); {@link #UIO} names its /dev node. */
    public GuestPlan bindUio() {
        actions.add(new Bind("uio"));
        return this;
    }

    /** Rebinds the edu device to vfio-pci (through driver_override). */
    public GuestPlan bindVfio() {
        actions.add(new Bind("vfio"));
        return this;
    }

    /**
     * Loads gpio-sim (built for the guest kernel by the harness) and creates a chip with one bank of
     * {@code lines} lines through configfs; {@link #GPIO_CHIP} and {@link #GPIO_SIM} name it.
     */
    public GuestPlan gpioSim(int lines) {
        if (lines < 1 || lines > 64) {
            throw new IllegalArgumentException("a gpio-sim bank has 1 to 64 lines here: " + lines);
        }
        actions.add(new GpioSim(lines));
        return this;
    }

    /** Whether the plan needs the gpio-sim module. */
    boolean needsGpioSim() {
        return actions.stream().anyMatch(a -> a instanceof GpioSim);
    }

    /** Runs a program of the initramfs (such as {@code /bin/uio_test}) as step {@code name}. */
    public GuestPlan run(String name, int timeoutSeconds, String... argv) {
        actions.add(new Run(checkName(name), timeoutSeconds, List.of(argv)));
        return this;
    }

    /**
     * Runs {@code mainClass} on the host's JDK (shared into the guest) as step {@code name}, with
     * {@code -XX:TieredStopAtLevel=1 -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED} (C1 only: on
     * one emulated vCPU tiered C2 never caught up, and the hot path stayed in profiled tier-3 code).
     * Classpath entries under the shared build root keep their host paths; others are copied into
     * the results share.
     */
    public GuestPlan java(String name, int timeoutSeconds, List<Path> classpath, List<String> jvmOptions,
                          String mainClass, String... args) {
        actions.add(new Java(checkName(name), timeoutSeconds, List.copyOf(classpath), List.copyOf(jvmOptions),
                mainClass, List.of(args)));
        return this;
    }

    public GuestPlan java(String name, int timeoutSeconds, List<Path> classpath, String mainClass, String... args) {
        return java(name, timeoutSeconds, classpath, List.of(), mainClass, args);
    }

    /** The classpath entries (folders or jars) that hold the given classes, for {@link #java}. */
    public static List<Path> classpathOf(Class<?>... classes) {
        List<Path> entries = new ArrayList<>();
        for (Class<?> c : classes) {
            try {
                Path p = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
                if (!entries.contains(p)) {
                    entries.add(p);
                }
            } catch (java.net.URISyntaxException | RuntimeException e) {
                throw new IllegalArgumentException("no classpath entry for " + c.getName(), e);
            }
        }
        return entries;
    }

    /** Names of the steps, in order. */
    public List<String> stepNames() {
        return List.copyOf(names);
    }

    List<Path> classpathEntries() {
        return actions.stream().filter(a -> a instanceof Java).flatMap(a -> ((Java) a).classpath().stream()).toList();
    }

    private String checkName(String name) {
        if (!NAME.matcher(name).matches() || names.contains(name)) {
            throw new IllegalArgumentException("step names are unique and [a-z0-9-]: " + name);
        }
        names.add(name);
        return name;
    }

    /** The script, with classpath entries mapped to guest paths. */
    String script(Function<Path, String> guestPath) {
        StringBuilder s = new StringBuilder("# generated by the udriver VM harness\n");
        for (Action a : actions) {
            switch (a) {
                case Bind b -> s.append(b.driver().equals("uio") ? "bind_uio" : "bind_vfio");
                case GpioSim g -> s.append("gpio_sim ").append(g.lines());
                case Run r -> {
                    s.append("step ").append(r.name()).append(' ').append(r.timeoutSeconds());
                    r.argv().forEach(arg -> s.append(' ').append(quote(arg)));
                }
                case Java j -> {
                    s.append("java_step ").append(j.name()).append(' ').append(j.timeoutSeconds());
                    j.jvmOptions().forEach(o -> s.append(' ').append(quote(o)));
                    s.append(" -cp ").append(quote(String.join(":", j.classpath().stream().map(guestPath).toList())));
                    s.append(' ').append(quote(j.mainClass()));
                    j.args().forEach(arg -> s.append(' ').append(quote(arg)));
                }
            }
            s.append('\n');
        }
        return s.toString();
    }

    /** Single-quotes for sh; the placeholders stay expandable. */
    static String quote(String arg) {
        if (arg.equals(BDF) || arg.equals(UIO) || arg.equals(VFIO_GROUP) || arg.equals(GPIO_CHIP)
                || arg.equals(GPIO_SIM)) {
            return '"' + arg + '"';
        }
        return "'" + arg.replace("'", "'\\''") + "'";
    }
}
