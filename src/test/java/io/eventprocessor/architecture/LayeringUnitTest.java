package io.eventprocessor.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The layering stated in {@code io/eventprocessor/package-info.java}, checked on the compiled main classes: a package
 * uses only packages of a lower layer, and no two classes depend on each other, directly or round a longer loop.
 */
class LayeringUnitTest {

    private static final String ROOT = "io.eventprocessor";

    /** Each package's layer: a package may use packages of lower layers only. */
    private static final Map<String, Integer> LAYERS = Map.ofEntries(
            Map.entry("config", 0),
            Map.entry("event", 1),
            Map.entry("tracing", 1),
            Map.entry("kafka", 2),
            Map.entry("partitions", 3),
            Map.entry("delivery", 4),
            Map.entry("processing", 5),
            Map.entry("operator", 5),
            Map.entry("ingest", 5),
            Map.entry("devkafka", 5));

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("package-info"))
                .importPackages(ROOT);
    }

    @Test
    void everyPackageHasALayer() {
        Set<String> packages = new TreeSet<>();
        classes.forEach(javaClass -> packages.add(packageOf(javaClass)));
        assertThat(packages).isNotEmpty().allMatch(LAYERS::containsKey, "has a layer in LayeringUnitTest.LAYERS");
    }

    @Test
    void packagesUseOnlyLowerLayers() {
        List<String> violations = new ArrayList<>();
        for (JavaClass javaClass : classes) {
            String from = packageOf(javaClass);
            for (Dependency dependency : javaClass.getDirectDependenciesFromSelf()) {
                JavaClass target = dependency.getTargetClass();
                if (!target.getPackageName().startsWith(ROOT + ".")) {
                    continue;
                }
                String to = packageOf(target);
                if (!to.equals(from) && LAYERS.get(to) >= LAYERS.get(from)) {
                    violations.add(dependency.getDescription());
                }
            }
        }
        assertThat(violations).as("dependencies on the same or a higher layer").isEmpty();
    }

    @Test
    void noClassesDependOnEachOther() {
        Map<String, Set<String>> uses = new HashMap<>();
        for (JavaClass javaClass : classes) {
            String from = topLevel(javaClass);
            for (Dependency dependency : javaClass.getDirectDependenciesFromSelf()) {
                JavaClass target = dependency.getTargetClass();
                if (target.getPackageName().startsWith(ROOT)
                        && !topLevel(target).equals(from)) {
                    uses.computeIfAbsent(from, key -> new HashSet<>()).add(topLevel(target));
                }
            }
        }
        assertThat(cycles(uses)).as("classes that depend on each other").isEmpty();
    }

    /** Every strongly connected group of more than one class (Tarjan's algorithm), as sorted names. */
    static List<Set<String>> cycles(Map<String, Set<String>> uses) {
        List<Set<String>> found = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        List<String> stack = new ArrayList<>();
        Set<String> onStack = new HashSet<>();
        for (String node : new TreeSet<>(uses.keySet())) {
            if (!index.containsKey(node)) {
                connect(node, uses, index, low, stack, onStack, found);
            }
        }
        return found;
    }

    private static void connect(
            String node,
            Map<String, Set<String>> uses,
            Map<String, Integer> index,
            Map<String, Integer> low,
            List<String> stack,
            Set<String> onStack,
            List<Set<String>> found) {
        index.put(node, index.size());
        low.put(node, index.get(node));
        stack.add(node);
        onStack.add(node);
        for (String next : uses.getOrDefault(node, Set.of())) {
            if (!index.containsKey(next)) {
                connect(next, uses, index, low, stack, onStack, found);
                low.put(node, Math.min(low.get(node), low.get(next)));
            } else if (onStack.contains(next)) {
                low.put(node, Math.min(low.get(node), index.get(next)));
            }
        }
        if (low.get(node).equals(index.get(node))) {
            Set<String> group = new TreeSet<>();
            String member;
            do {
                member = stack.remove(stack.size() - 1);
                onStack.remove(member);
                group.add(member);
            } while (!member.equals(node));
            if (group.size() > 1) {
                found.add(group);
            }
        }
    }

    private static String packageOf(JavaClass javaClass) {
        String name = javaClass.getPackageName();
        return name.equals(ROOT) ? "" : name.substring(ROOT.length() + 1).split("\\.")[0];
    }

    private static String topLevel(JavaClass javaClass) {
        String name = javaClass.getName();
        int nested = name.indexOf('$');
        return (nested < 0 ? name : name.substring(0, nested)).substring(ROOT.length() + 1);
    }
}
