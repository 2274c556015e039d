package io.camelpgrepl.build;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which test classes surefire and failsafe pick up, decided with the same include patterns the plugins are given
 * (Ant style, as Maven writes them: {@code **}{@code /*Test.java}), so a class with test methods that neither
 * runs is found by the build instead of being skipped in silence.
 */
final class TestClassCoverage {

    /** Annotations that make a method a test for JUnit Jupiter, jqwik or Jazzer. */
    static final Set<String> TEST_ANNOTATIONS = Set.of("Test", "ParameterizedTest", "RepeatedTest", "TestFactory",
            "TestTemplate", "Property", "Example", "FuzzTest");

    private static final Pattern ANNOTATION = Pattern.compile("@(?:[\\w$]+\\.)*(" + String.join("|", TEST_ANNOTATIONS)
            + ")\\b");
    private static final Set<String> SKIPPED_DIRECTORIES = Set.of("target", "node_modules", "src-docs");

    private final String unitTestIncludes;
    private final String integrationTestIncludes;
    private final List<Pattern> unitTests;
    private final List<Pattern> integrationTests;

    /** Comma-separated patterns, as in the poms' {@code pgrepl.unit-tests} and {@code pgrepl.integration-tests}. */
    TestClassCoverage(String unitTestIncludes, String integrationTestIncludes) {
        this.unitTestIncludes = unitTestIncludes;
        this.integrationTestIncludes = integrationTestIncludes;
        this.unitTests = patterns(unitTestIncludes);
        this.integrationTests = patterns(integrationTestIncludes);
    }

    /** One problem: the file (relative to its test source root) and what is wrong with it. */
    record Finding(Path testRoot, String file, String problem) {
        @Override
        public String toString() {
            return testRoot.resolve(file) + ": " + problem;
        }
    }

    /** Whether surefire runs {@code file}, a path relative to a test source root with '/' separators. */
    boolean isUnitTest(String file) {
        return matchesAny(unitTests, file);
    }

    /** Whether failsafe runs {@code file}. */
    boolean isIntegrationTest(String file) {
        return matchesAny(integrationTests, file);
    }

    /** Every {@code src/test/java} below {@code projectRoot}, build output and hidden directories aside. */
    static List<Path> testSourceRoots(Path projectRoot) {
        List<Path> roots = new ArrayList<>();
        try {
            Files.walkFileTree(projectRoot, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                    if (!dir.equals(projectRoot) && (name.startsWith(".") || SKIPPED_DIRECTORIES.contains(name))) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    if (dir.endsWith(Path.of("src", "test", "java"))) {
                        roots.add(dir);
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot walk " + projectRoot, e);
        }
        return roots;
    }

    /** The test classes under {@code testRoot} that no plugin runs, or that both would run. */
    List<Finding> check(Path testRoot) {
        List<Finding> findings = new ArrayList<>();
        try (Stream<Path> files = Files.walk(testRoot)) {
            for (Path path : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java")).sorted()::iterator) {
                String file = testRoot.relativize(path).toString().replace('\\', '/');
                String source = Files.readString(path, StandardCharsets.UTF_8);
                String problem = problem(file, source);
                if (problem != null) {
                    findings.add(new Finding(testRoot, file, problem));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + testRoot, e);
        }
        return findings;
    }

    /** What is wrong with one source file, or null. */
    String problem(String file, String source) {
        String code = withoutCommentsAndStrings(source);
        if (!hasTestMethods(code) || isAbstractOrInterface(code, simpleName(file))) {
            return null;
        }
        boolean unit = isUnitTest(file);
        boolean integration = isIntegrationTest(file);
        if (!unit && !integration) {
            return "has test methods but neither surefire (" + unitTestIncludes + ") nor failsafe ("
                    + integrationTestIncludes + ") runs it: rename it, or change pgrepl.unit-tests /"
                    + " pgrepl.integration-tests in the root pom.xml";
        }
        if (unit && integration) {
            return "both surefire and failsafe would run it: rename it so only one pattern matches";
        }
        return null;
    }

    static boolean hasTestMethods(String code) {
        return ANNOTATION.matcher(code).find();
    }

    private static boolean isAbstractOrInterface(String code, String simpleName) {
        Matcher m = Pattern.compile("((?:\\b[\\w-]+\\s+)*)(class|interface|@interface|enum|record)\\s+"
                + Pattern.quote(simpleName) + "\\b").matcher(code);
        if (!m.find()) {
            return false;
        }
        return !m.group(2).equals("class") || Pattern.compile("\\babstract\\b").matcher(m.group(1)).find();
    }

    private static String simpleName(String file) {
        String name = file.substring(file.lastIndexOf('/') + 1);
        return name.substring(0, name.length() - ".java".length());
    }

    /**
     * The source with comments, string and character literals and text blocks blanked, so an annotation named in
     * Javadoc or in a string is not taken for a test method.
     */
    static String withoutCommentsAndStrings(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                int end = source.indexOf('\n', i);
                i = end < 0 ? n : end;
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                out.append(' ');
            } else if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                while (end > 0 && source.charAt(end - 1) == '\\') {
                    end = source.indexOf("\"\"\"", end + 1);
                }
                i = end < 0 ? n : end + 3;
                out.append("\"\"");
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && source.charAt(j) != c && source.charAt(j) != '\n') {
                    j += source.charAt(j) == '\\' ? 2 : 1;
                }
                i = Math.min(j + 1, n);
                out.append(c).append(c);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static List<Pattern> patterns(String includes) {
        if (includes == null || includes.isBlank()) {
            throw new IllegalArgumentException("no include patterns: run through Maven, which passes"
                    + " pgrepl.unit-tests and pgrepl.integration-tests from the root pom.xml");
        }
        return Stream.of(includes.split(",")).map(String::trim).filter(p -> !p.isEmpty())
                .map(TestClassCoverage::antToRegex).toList();
    }

    /** Ant pattern to regex: {@code **}{@code /} is any number of directories, {@code *} and {@code ?} stay in one. */
    static Pattern antToRegex(String ant) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < ant.length(); i++) {
            char c = ant.charAt(i);
            if (ant.startsWith("**/", i)) {
                regex.append("(?:.*/)?");
                i += 2;
            } else if (ant.startsWith("**", i)) {
                regex.append(".*");
                i++;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }

    private static boolean matchesAny(List<Pattern> patterns, String file) {
        return patterns.stream().anyMatch(p -> p.matcher(file).matches());
    }
}
