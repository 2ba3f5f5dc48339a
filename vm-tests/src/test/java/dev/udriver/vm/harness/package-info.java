/**
 * A QEMU guest with QEMU's {@code edu} PCI device, booted once per test class, for tests that need
 * a real PCI device with real interrupts through {@code uio_pci_generic} and {@code vfio-pci}.
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
 *   <li>{@code GuestImage} compiles {@code src/test/c/*.c} with {@code gcc -static} and writes
 *       {@code target/vm/initrd.cpio}: busybox, {@code src/test/vm/init}, the modules, the C
 *       programs and the glibc files that the JDK needs.</li>
 *   <li>The {@link dev.udriver.vm.harness.GuestPlan} becomes {@code target/vm/out/plan.sh}; QEMU
 *       boots (q35, intel-iommu, one vCPU, TCG unless a real KVM module is loaded) with the JDK and
 *       the build root shared read-only at their host paths and {@code target/vm/out} writable.</li>
 *   <li>The guest binds and runs the steps; each leaves {@code out/NAME.out} and a line in
 *       {@code out/results}, read back as {@link dev.udriver.vm.harness.GuestResults}. The
 *       console is in {@code target/vm/serial.log}.</li>
 * </ol>
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
