package io.camelpgrepl.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build's check that every test class runs: surefire's and failsafe's include patterns come from the root
 * pom (properties {@code pgrepl.unit-tests} and {@code pgrepl.integration-tests}, handed over by surefire), and
 * every {@code src/test/java} of the project is held against them.
 */
class TestClassCoverageTest {

    private static final String UNIT = "**/*Test.java, **/*Properties.java";
    private static final String INTEGRATION = "**/*IT.java";

    private final TestClassCoverage synthetic = new TestClassCoverage(UNIT, INTEGRATION);

    @Test
    void everyTestClassOfTheProjectRunsInSurefireOrFailsafe() {
        TestClassCoverage build = new TestClassCoverage(System.getProperty("pgrepl.unit-tests"),
                System.getProperty("pgrepl.integration-tests"));
        Path root = Path.of(System.getProperty("pgrepl.project.root", "../..")).toAbsolutePath().normalize();
        List<Path> testRoots = TestClassCoverage.testSourceRoots(root);

        assertThat(testRoots).as("test source roots below %s", root)
                .contains(root.resolve("camel-pgrepl/src/test/java"),
                        root.resolve("camel-pgrepl/camel-pgrepl-testing/src/test/java"));
        for (Path testRoot : testRoots) {
            assertThat(build.check(testRoot)).as("test classes in %s that would not run exactly once", testRoot)
                    .isEmpty();
        }
    }

    @Test
    void aClassWithTestMethodsThatNoPatternMatchesIsReported(@TempDir Path testRoot) throws Exception {
        write(testRoot, "io/x/OrderSpec.java", "package io.x; class OrderSpec { @Test void ships() {} }");
        write(testRoot, "io/x/OrderTest.java", "package io.x; class OrderTest { @Test void ships() {} }");

        assertThat(synthetic.check(testRoot)).as("findings")
                .extracting(TestClassCoverage.Finding::file).containsExactly("io/x/OrderSpec.java");
        assertThat(synthetic.check(testRoot).get(0).problem()).as("problem")
                .contains("neither surefire (" + UNIT + ") nor failsafe (" + INTEGRATION + ")");
    }

    @Test
    void everyKindOfTestMethodCounts() {
        for (String annotation : TestClassCoverage.TEST_ANNOTATIONS) {
            assertThat(synthetic.problem("io/x/Spec.java", "class Spec { @" + annotation + "(tries = 3) void t() {} }"))
                    .as("@%s in a class no pattern matches", annotation).isNotNull();
        }
        assertThat(synthetic.problem("io/x/Spec.java", "class Spec { @org.junit.jupiter.api.Test void t() {} }"))
                .as("qualified @Test").isNotNull();
    }

    @Test
    void unitAndIntegrationPatternsFollowAntRules() {
        assertThat(synthetic.isUnitTest("io/x/OrderTest.java")).as("*Test in a package").isTrue();
        assertThat(synthetic.isUnitTest("OrderTest.java")).as("**/ matches no directory too").isTrue();
        assertThat(synthetic.isUnitTest("io/x/AckTrackerProperties.java")).as("*Properties").isTrue();
        assertThat(synthetic.isUnitTest("io/x/OrderIT.java")).as("an IT in surefire").isFalse();
        assertThat(synthetic.isIntegrationTest("io/x/OrderIT.java")).as("*IT in failsafe").isTrue();
        assertThat(synthetic.isIntegrationTest("io/x/OrderITest.java")).as("*ITest is not *IT").isFalse();
        assertThat(synthetic.isUnitTest("io/x/TestOrder.java")).as("Test* is not a pattern here").isFalse();
    }

    @Test
    void classesWithoutTestMethodsAbstractClassesAndInterfacesAreNotReported() {
        assertThat(synthetic.problem("io/x/Fixture.java", "final class Fixture { void setUp() {} }"))
                .as("helper without test methods").isNull();
        assertThat(synthetic.problem("io/x/Contract.java", "public abstract class Contract { @Test void t() {} }"))
                .as("abstract class").isNull();
        assertThat(synthetic.problem("io/x/Mixin.java", "interface Mixin { @Test default void t() {} }"))
                .as("interface").isNull();
        assertThat(synthetic.problem("io/x/Bench.java",
                "/** Not a {@code @Test}. */ class Bench { String s = \"@Test\"; // @Property\n"
                        + " String b = \"\"\"\n @Example \"\"\"; void run() {} }"))
                .as("annotations named only in comments and strings").isNull();
        assertThat(synthetic.problem("io/x/Instance.java", "@TestInstance(PER_CLASS) class Instance { }"))
                .as("@TestInstance is no test method").isNull();
    }

    @Test
    void aClassBothPluginsWouldRunIsReported() {
        TestClassCoverage overlapping = new TestClassCoverage("**/*Test.java", "**/*IT.java, **/*ITTest.java");
        assertThat(overlapping.problem("io/x/OrderITTest.java", "class OrderITTest { @Test void t() {} }"))
                .as("problem").contains("both surefire and failsafe");
    }

    private static void write(Path root, String file, String source) throws Exception {
        Path path = root.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, source);
    }
}
