package dev.udriver.vm.harness;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Resolves and fetches Debian packages with the host's own apt ({@code apt-cache},
 * {@code apt-get download}, {@code dpkg-deb}); nothing is installed. The version is always the
 * one the apt lists name today, never a hard-coded one.
 */
final class DebianPackages {
    private static final Duration APT_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration DOWNLOAD_TIMEOUT = Duration.ofSeconds(90);

    private DebianPackages() {}

    /** A package and the version that {@code apt-get download} would fetch. */
    record Candidate(String name, String version) {
        /** A name for cache folders: the version with ':' and '/' replaced. */
        String key() {
            return (name + "_" + version).replaceAll("[^A-Za-z0-9._+-]", "_");
        }
    }

    static void requireTools() throws VmUnavailableException {
        for (String tool : new String[] {"apt-cache", "apt-get", "dpkg-deb", "tar"}) {
            if (HostCommand.find(tool).isEmpty()) {
                throw new VmUnavailableException(tool + " not found: the VM test fetches the guest kernel and busybox"
                        + " as Debian packages (a Debian or Ubuntu host with apt lists is needed)");
            }
        }
    }

    /** The package that the metapackage {@code meta} depends on first and whose name starts with {@code prefix}. */
    static Optional<String> dependencyOf(String meta, String prefix, Path dir) throws IOException {
        HostCommand.Result r = HostCommand.run(dir, APT_TIMEOUT, "apt-cache", "depends", meta);
        if (!r.ok()) {
            return Optional.empty();
        }
        for (String line : r.output().split("\n")) {
            String t = line.strip();
            if (t.startsWith("Depends:")) {
                String dep = t.substring("Depends:".length()).strip();
                if (dep.startsWith(prefix)) {
                    return Optional.of(dep.split("\\s+")[0]);
                }
            }
        }
        return Optional.empty();
    }

    /** The candidate version of {@code name} in the apt lists. */
    static Optional<Candidate> candidate(String name, Path dir) throws IOException {
        HostCommand.Result r = HostCommand.run(dir, APT_TIMEOUT, "apt-cache", "policy", name);
        if (!r.ok()) {
            return Optional.empty();
        }
        for (String line : r.output().split("\n")) {
            String t = line.strip();
            if (t.startsWith("Candidate:")) {
                String v = t.substring("Candidate:".length()).strip();
                return v.isEmpty() || v.equals("(none)") ? Optional.empty() : Optional.of(new Candidate(name, v));
            }
        }
        return Optional.empty();
    }

    /** Downloads the candidate's .deb into {@code dir} and returns it. */
    static Path download(Candidate c, Path dir) throws IOException, VmUnavailableException {
        Files.createDirectories(dir);
        HostCommand.Result r = HostCommand.run(dir, DOWNLOAD_TIMEOUT, "apt-get", "download", "-q",
                c.name() + "=" + c.version());
        if (!r.ok()) {
            throw new VmUnavailableException("cannot download " + c.name() + " " + c.version() + ": " + r.describe());
        }
        try (DirectoryStream<Path> debs = Files.newDirectoryStream(dir, c.name() + "_*.deb")) {
            for (Path deb : debs) {
                return deb;
            }
        }
        throw new VmUnavailableException("apt-get download " + c.name() + " left no .deb in " + dir);
    }

    /** Extracts the members matching the tar wildcards from the .deb's data archive into {@code into}. */
    static void extract(Path deb, Path into, Duration timeout, String... wildcards) throws IOException {
        Files.createDirectories(into);
        StringBuilder script = new StringBuilder("dpkg-deb --fsys-tarfile \"$0\" | tar -x -C \"$1\" --wildcards");
        for (String w : wildcards) {
            script.append(" '").append(w.replace("'", "'\\''")).append('\'');
        }
        HostCommand.Result r = HostCommand.run(into, timeout, "sh", "-c", script.toString(), deb.toString(),
                into.toString());
        // tar fails when a wildcard matched nothing; the caller checks for the files it needs.
        if (r.exit() != 0 && !r.output().contains("Not found in archive")) {
            throw new IOException(r.describe());
        }
    }
}
