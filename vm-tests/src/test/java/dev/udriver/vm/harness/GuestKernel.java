package dev.udriver.vm.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The guest kernel: Debian's current {@code linux-image-amd64} flavour, resolved through the apt
 * lists at run time, downloaded once and cached (boot image and the ~20 modules the guest loads,
 * about 70 MB with the uncompressed vmlinux) under {@code <cache>/<package>_<version>}.
 *
 * <p>The boot image is the uncompressed vmlinux cut out of the bzImage (QEMU boots it through the
 * PVH entry, twice as fast under TCG as the bzImage's own decompressor); the bzImage is the
 * fallback when xz is missing. Modules come with load lists, dependencies first, read from each
 * module's {@code .modinfo depends=}: group {@code 9p} (the 9p file system over virtio-pci), group
 * {@code uio} (uio_pci_generic), group {@code vfio} (vfio-pci and the type1 IOMMU backend) and group
 * {@code gpio-sim} (configfs, for the module that {@link GuestGpioSim} builds). A cached kernel that
 * lacks a group's list (cached before the group existed) is fetched again.
 */
public record GuestKernel(String release, Path bootImage, Path modules, String origin) {

    static final String META_PACKAGE = "linux-image-amd64";
    /** Module groups and their roots; dependencies are added from the modules themselves. */
    static final Map<String, List<String>> GROUPS = new LinkedHashMap<>();

    static {
        GROUPS.put("9p", List.of("virtio_pci", "9pnet_virtio", "9p"));
        GROUPS.put("uio", List.of("uio_pci_generic"));
        GROUPS.put("vfio", List.of("vfio_pci", "vfio_iommu_type1"));
        // What the out-of-tree gpio-sim module (GuestGpioSim) needs from the kernel package.
        GROUPS.put("gpio-sim", List.of("configfs"));
    }

    /** Module folders extracted in the first pass; missing dependencies are fetched in a second. */
    private static final List<String> MODULE_DIRS = List.of("drivers/uio", "drivers/vfio", "drivers/virtio",
            "virt/lib", "net/9p", "fs/9p", "fs/netfs", "fs/fscache", "fs/configfs");
    private static final Duration EXTRACT_TIMEOUT = Duration.ofSeconds(90);

    /**
     * Resolves the current kernel package and returns it from the cache, fetching it first when
     * needed. Without apt lists or network, the newest cached kernel is used (and said so).
     */
    public static GuestKernel obtain(Path cache, Path scratch) throws IOException, VmUnavailableException {
        Files.createDirectories(cache);
        Files.createDirectories(scratch);
        Optional<DebianPackages.Candidate> candidate = Optional.empty();
        String problem;
        try {
            DebianPackages.requireTools();
            Optional<String> pkg = DebianPackages.dependencyOf(META_PACKAGE, "linux-image-", scratch);
            if (pkg.isPresent()) {
                candidate = DebianPackages.candidate(pkg.get(), scratch);
            }
            problem = pkg.isEmpty() ? "apt-cache knows no " + META_PACKAGE + " (no Debian apt lists? run apt-get update)"
                    : candidate.isEmpty() ? "apt-cache has no candidate version of " + pkg.get() : null;
        } catch (VmUnavailableException e) {
            problem = e.getMessage();
        }
        if (candidate.isPresent()) {
            Path dir = cache.resolve(candidate.get().key());
            if (complete(dir)) {
                return load(dir, "cached " + candidate.get().name() + " " + candidate.get().version());
            }
            try {
                return fetch(candidate.get(), dir, scratch);
            } catch (VmUnavailableException e) {
                problem = e.getMessage();
            }
        }
        Optional<Path> newest = newestCached(cache);
        if (newest.isPresent()) {
            System.err.println("udriver-vm: " + problem + "; using the cached " + newest.get().getFileName());
            return load(newest.get(), "cached " + newest.get().getFileName() + " (fallback)");
        }
        throw new VmUnavailableException("no guest kernel: " + problem);
    }

    /** The kernel image package and its version, as cached beside the boot image. */
    DebianPackages.Candidate imagePackage() throws IOException {
        String[] f = Files.readString(modules.getParent().resolve("package")).strip().split("\\s+");
        return new DebianPackages.Candidate(f[0], f[1]);
    }

    private static boolean complete(Path dir) {
        return Files.isRegularFile(dir.resolve("release"))
                && GROUPS.keySet().stream().allMatch(g -> Files.isRegularFile(dir.resolve("modules/" + g + ".list")));
    }

    private static Optional<Path> newestCached(Path cache) throws IOException {
        try (Stream<Path> dirs = Files.list(cache)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("linux-image-"))
                    .filter(d -> Files.isRegularFile(d.resolve("release")))
                    .max(Comparator.comparing(d -> d.toFile().lastModified()));
        }
    }

    private static GuestKernel load(Path dir, String origin) throws IOException {
        String release = Files.readString(dir.resolve("release")).strip();
        Path image = Files.exists(dir.resolve("vmlinux")) ? dir.resolve("vmlinux") : dir.resolve("vmlinuz");
        return new GuestKernel(release, image, dir.resolve("modules"), origin);
    }

    private static GuestKernel fetch(DebianPackages.Candidate c, Path dir, Path scratch)
            throws IOException, VmUnavailableException {
        // Staged beside the final folder, so that publishing it is one atomic rename.
        Path work = Files.createTempDirectory(dir.getParent(), ".fetch-");
        try {
            return fetchInto(c, dir, work);
        } finally {
            deleteTree(work);
        }
    }

    private static GuestKernel fetchInto(DebianPackages.Candidate c, Path dir, Path work)
            throws IOException, VmUnavailableException {
        Path deb = DebianPackages.download(c, work.resolve("deb"));
        Path tree = work.resolve("tree");
        List<String> wildcards = new ArrayList<>(List.of("./boot/vmlinuz-*", "./lib/modules/*/modules.order",
                "./lib/modules/*/modules.builtin"));
        for (String d : MODULE_DIRS) {
            wildcards.add("./lib/modules/*/kernel/" + d + "/*");
        }
        DebianPackages.extract(deb, tree, EXTRACT_TIMEOUT, wildcards.toArray(String[]::new));

        Path libModules = tree.resolve("lib/modules");
        String release;
        try (DirectoryStream<Path> releases = Files.newDirectoryStream(libModules)) {
            release = releases.iterator().next().getFileName().toString();
        } catch (IOException | RuntimeException e) {
            throw new VmUnavailableException(deb.getFileName() + " holds no /lib/modules/<release>", e);
        }
        Path moduleRoot = libModules.resolve(release);
        Path vmlinuz = tree.resolve("boot/vmlinuz-" + release);
        if (!Files.isRegularFile(vmlinuz)) {
            throw new VmUnavailableException(deb.getFileName() + " holds no /boot/vmlinuz-" + release);
        }

        Path staged = work.resolve("staged");
        Path modules = staged.resolve("modules");
        Files.createDirectories(modules);
        Modules index = new Modules(moduleRoot);
        for (int pass = 0; ; pass++) {
            Set<String> missing = index.missingFiles(GROUPS.values().stream().flatMap(List::stream).toList());
            if (missing.isEmpty()) {
                break;
            }
            if (pass == 2) {
                throw new VmUnavailableException("modules missing from " + deb.getFileName() + ": " + missing);
            }
            DebianPackages.extract(deb, tree, EXTRACT_TIMEOUT,
                    missing.stream().map(m -> "./lib/modules/" + release + "/" + m).toArray(String[]::new));
        }
        for (Map.Entry<String, List<String>> g : GROUPS.entrySet()) {
            List<String> order = index.loadOrder(g.getValue());
            for (String m : order) {
                index.copyUncompressed(m, modules.resolve(m + ".ko"), work);
            }
            Files.writeString(modules.resolve(g.getKey() + ".list"), String.join("\n", order) + "\n");
        }

        if (!extractVmlinux(vmlinuz, staged.resolve("vmlinux"), work)) {
            Files.copy(vmlinuz, staged.resolve("vmlinuz"));
        }
        Files.writeString(staged.resolve("package"), c.name() + " " + c.version() + "\n");
        Files.writeString(staged.resolve("release"), release + "\n");
        if (Files.isDirectory(dir) && !complete(dir)) {
            // cached by an older harness with fewer module groups: set aside, then replaced
            Path stale = Files.createTempDirectory(dir.getParent(), ".stale-");
            Files.move(dir, stale.resolve("old"), StandardCopyOption.ATOMIC_MOVE);
            deleteTree(stale);
        }
        try {
            Files.move(staged, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException raced) {
            // another build cached the same kernel meanwhile; use theirs
        }
        return load(dir, "downloaded " + c.name() + " " + c.version());
    }

    /** The uncompressed kernel: the xz stream inside the bzImage, decompressed; false when not possible. */
    static boolean extractVmlinux(Path vmlinuz, Path vmlinux, Path work) throws IOException {
        if (HostCommand.find("xz").isEmpty()) {
            return false;
        }
        byte[] image = Files.readAllBytes(vmlinuz);
        byte[] magic = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0};
        int at = indexOf(image, magic, 0);
        if (at < 0) {
            return false;
        }
        Process xz = new ProcessBuilder("xz", "-dcq").redirectOutput(vmlinux.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        CompletableFuture<Void> feed = CompletableFuture.runAsync(() -> {
            try (OutputStream in = xz.getOutputStream()) {
                in.write(image, at, image.length - at);
            } catch (IOException e) {
                // xz stops reading at the end of its stream; the trailing bytes are not needed
            }
        });
        try {
            if (!xz.waitFor(60, TimeUnit.SECONDS)) {
                xz.destroyForcibly();
                return false;
            }
            feed.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        // xz reports trailing garbage (the bzImage's tail) with a non-zero status; the ELF is what counts.
        byte[] head = new byte[4];
        try (InputStream in = Files.newInputStream(vmlinux)) {
            if (in.readNBytes(head, 0, 4) != 4 || head[0] != 0x7f || head[1] != 'E' || head[2] != 'L' || head[3] != 'F') {
                Files.deleteIfExists(vmlinux);
                return false;
            }
        }
        return Files.size(vmlinux) > 1 << 20;
    }

    static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = from; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** Module names (with '_' for '-'), their files in modules.order, built-ins and dependencies. */
    static final class Modules {
        private final Path root;
        private final Map<String, String> paths = new HashMap<>();
        private final Set<String> builtin = new HashSet<>();
        private final Map<String, List<String>> depends = new HashMap<>();

        Modules(Path root) throws IOException {
            this.root = root;
            for (String line : Files.readAllLines(root.resolve("modules.order"))) {
                String p = line.strip();
                if (!p.isEmpty()) {
                    paths.put(nameOf(p), p);
                }
            }
            Path b = root.resolve("modules.builtin");
            if (Files.exists(b)) {
                for (String line : Files.readAllLines(b)) {
                    if (!line.isBlank()) {
                        builtin.add(nameOf(line.strip()));
                    }
                }
            }
        }

        static String nameOf(String path) {
            String file = path.substring(path.lastIndexOf('/') + 1);
            int dot = file.indexOf(".ko");
            return (dot < 0 ? file : file.substring(0, dot)).replace('-', '_');
        }

        /** The on-disk file for a module listed in modules.order (possibly compressed), or null. */
        private Path file(String name) {
            String p = paths.get(name);
            if (p == null) {
                return null;
            }
            for (String suffix : new String[] {"", ".xz", ".zst", ".gz"}) {
                Path candidate = root.resolve(p.endsWith(".ko") ? p + suffix : p);
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
            }
            return null;
        }

        /** modules.order paths of modules in the closure whose files are not extracted yet. */
        Set<String> missingFiles(List<String> roots) throws IOException, VmUnavailableException {
            Set<String> missing = new LinkedHashSet<>();
            Set<String> seen = new HashSet<>();
            List<String> todo = new ArrayList<>(roots);
            while (!todo.isEmpty()) {
                String m = todo.removeLast();
                if (!seen.add(m) || builtin.contains(m)) {
                    continue;
                }
                if (!paths.containsKey(m)) {
                    throw new VmUnavailableException("the guest kernel has no module " + m);
                }
                if (file(m) == null) {
                    missing.add(paths.get(m) + "*");
                    continue;
                }
                todo.addAll(dependencies(m));
            }
            return missing;
        }

        List<String> dependencies(String name) throws IOException {
            List<String> d = depends.get(name);
            if (d == null) {
                byte[] ko = uncompressed(file(name));
                byte[] key = "depends=".getBytes(StandardCharsets.US_ASCII);
                d = List.of();
                for (int at = indexOf(ko, key, 0); at >= 0; at = indexOf(ko, key, at + 1)) {
                    if (at > 0 && ko[at - 1] != 0) {
                        continue;   // a .modinfo entry starts after a NUL
                    }
                    int end = at + key.length;
                    while (end < ko.length && ko[end] != 0) {
                        end++;
                    }
                    String value = new String(ko, at + key.length, end - at - key.length, StandardCharsets.US_ASCII);
                    d = value.isEmpty() ? List.of()
                            : Arrays.stream(value.split(",")).map(s -> s.replace('-', '_')).toList();
                    break;
                }
                depends.put(name, d);
            }
            return d;
        }

        /** The roots and their dependencies, dependencies first, built-ins left out. */
        List<String> loadOrder(List<String> roots) throws IOException {
            List<String> order = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (String r : roots) {
                visit(r, seen, order);
            }
            return order;
        }

        private void visit(String m, Set<String> seen, List<String> order) throws IOException {
            if (builtin.contains(m) || !seen.add(m)) {
                return;
            }
            for (String dep : dependencies(m)) {
                visit(dep, seen, order);
            }
            order.add(m);
        }

        void copyUncompressed(String name, Path to, Path work) throws IOException {
            Files.write(to, uncompressed(file(name)));
        }

        private static byte[] uncompressed(Path file) throws IOException {
            String n = file.getFileName().toString();
            if (n.endsWith(".ko")) {
                return Files.readAllBytes(file);
            }
            String tool = n.endsWith(".xz") ? "xz" : n.endsWith(".zst") ? "zstd" : "gzip";
            Process p = new ProcessBuilder(tool, "-dc", file.toString()).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            byte[] out = p.getInputStream().readAllBytes();
            try {
                if (p.waitFor() != 0) {
                    throw new IOException(tool + " -dc " + file + " failed");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            return out;
        }
    }
}
