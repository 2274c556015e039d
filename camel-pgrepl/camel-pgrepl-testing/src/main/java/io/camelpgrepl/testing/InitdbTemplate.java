package io.camelpgrepl.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

/**
 * A freshly initdb'ed data directory per PostgreSQL version, kept under the cache root and copied for
 * each new server: initdb takes seconds, a copy takes milliseconds.
 */
final class InitdbTemplate {

    private InitdbTemplate() {
    }

    /** The template data directory for these binaries, created once (concurrent JVMs: atomic rename). */
    static synchronized Path forBinaries(PostgresBinaries binaries) {
        ServerOsUser user = ServerOsUser.current();
        Path template = PostgresBinaries.CACHE_ROOT.resolve("template-" + binaries.version() + "-" + user);
        if (Files.exists(template.resolve("PG_VERSION"))) {
            return template;
        }
        try {
            Files.createDirectories(PostgresBinaries.CACHE_ROOT);
            Path temp = Files.createTempDirectory(PostgresBinaries.CACHE_ROOT, "template-" + binaries.version() + ".initdb-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            user.takeOwnership(temp);
            ProcessRunner.run(user.wrap(List.of(binaries.tool("initdb").toString(), "-D", temp.toString(),
                    "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync")), null, 120);
            try {
                Files.move(temp, template, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                PostgresBinaries.deleteTree(temp);
                if (!Files.exists(template.resolve("PG_VERSION"))) {
                    throw e;
                } // else another JVM won the race
            }
            return template;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the initdb template " + template, e);
        }
    }

    /** Copies the template into {@code dataDir} (which must not exist), keeping the 0700 mode PostgreSQL wants. */
    static void copyTo(Path template, Path dataDir) {
        try (Stream<Path> paths = Files.walk(template)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = dataDir.resolve(template.relativize(source).toString());
                if (Files.isSymbolicLink(source)) {
                    Files.createSymbolicLink(target, Files.readSymbolicLink(source));
                } else if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(target);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the initdb template " + template + " to " + dataDir, e);
        }
    }
}
