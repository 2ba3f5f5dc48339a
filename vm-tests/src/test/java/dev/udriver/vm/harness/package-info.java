/**
 * A QEMU guest with QEMU's {@code edu} PCI device, booted once per test class, for tests that need
 * a real PCI device with real interrupts through {@code uio_pci_generic} and {@code vfio-pci}, and
 * (on request) a real kernel GPIO chip, gpio-sim, for the GPIO character device.
 *
 * <h2>How a run goes</h2>
 * <ol>
 *   <li>{@link dev.udriver.vm.harness.EduVm#run} checks the host: {@code qemu-system-x86_64} on
 *       PATH (or {@code -Dudriver.vm.qemu}), a JDK 25 to share, apt tools and gcc. What is missing
 *       becomes a {@link dev.udriver.vm.harness.VmUnavailableException} with the reason.</li>
 *   <li>{@link dev.udriver.vm.harness.GuestKernel} resolves the current Debian kernel
 *       ({@code apt-cache depends linux-image-amd64}), downloads it once and caches the vmlinux and
 *       the modules under {@code ~/.cache/udriver-vm} ({@code $XDG_CACHE_HOME}, or
 *       {@code -Dudriver.vm.cache}); busybox-static likewise.</li>
 *   <li>A plan with {@link dev.udriver.vm.harness.GuestPlan#gpioSim(int)} needs gpio-sim, which the
 *       Debian kernel does not ship: {@code GuestGpioSim} fetches {@code linux-headers-<release>}
 *       (with its {@code -common} and {@code linux-kbuild-*} packages) and {@code linux-source-*}
 *       of the kernel's own version, takes {@code gpio-sim.c}, {@code gpiolib.h} and
 *       {@code irq_sim.c} out of the source tarball and builds one {@code gpio-sim.ko} with
 *       {@code src/test/kmod/Kbuild} ({@code make -C <headers> M=<dir> modules}; host tools
 *       {@code make} and {@code gcc-12}); the sources and the module are cached by kernel version.
 *       A failed build is reported to the guest, whose GPIO steps then fail with the reason; the
 *       other steps still run.</li>
 *   <li>{@code GuestImage} compiles {@code src/test/c/*.c} with {@code gcc -static} and writes
 *       {@code target/vm/initrd.cpio}: busybox, {@code src/test/vm/init}, the modules (gpio-sim too), the C
 *       programs and the glibc files that the JDK needs.</li>
 *   <li>The {@link dev.udriver.vm.harness.GuestPlan} becomes {@code target/vm/out/plan.sh}; QEMU
 *       boots (q35, intel-iommu, one vCPU, TCG unless a real KVM module is loaded) with the JDK and
 *       the build root shared read-only at their host paths and {@code target/vm/out} writable.</li>
 *   <li>The guest binds and runs the steps; each leaves {@code out/NAME.out} and a line in
 *       {@code out/results}, read back as {@link dev.udriver.vm.harness.GuestResults}. The
 *       console is in {@code target/vm/serial.log}.</li>
 * </ol>
 *
 * <p>{@code gpio_sim LINES} in the guest loads configfs and gpio-sim, mounts configfs at
 * {@code /sys/kernel/config}, creates chip {@code udriver} with one bank of LINES lines
 * ({@code mkdir}, {@code num_lines}, {@code live=1}) and reports {@code gpio-sim ok chip=/dev/gpiochipN}
 * (the node comes from devtmpfs). Steps get the node and the sysfs folder of the simulated lines
 * as {@link dev.udriver.vm.harness.GuestPlan#GPIO_CHIP} and
 * {@link dev.udriver.vm.harness.GuestPlan#GPIO_SIM}; writing {@code pull-up} or {@code pull-down}
 * to {@code GPIO_SIM/sim_gpioK/pull} makes an edge on line K.
 *
 * <h2>Running a Java driver in the guest</h2>
 * <pre>{@code
 * new GuestPlan()
 *     .bindUio()
 *     .java("edu-uio", 90, GuestPlan.classpathOf(EduMain.class, Interrupt.class), EduMain.class.getName(),
 *           GuestPlan.UIO)
 *     .bindVfio()
 *     .java("edu-vfio-msi", 90, ..., GuestPlan.BDF, "msi");
 * }</pre>
 * The program runs on the shared JDK with {@code -XX:TieredStopAtLevel=1 -XX:+UseSerialGC
 * --enable-native-access=ALL-UNNAMED}; its exit status and output come back in the step, and
 * {@code RESULT test=NAME key=value ...} lines in its output are parsed for assertions.
 */
package dev.udriver.vm.harness;
