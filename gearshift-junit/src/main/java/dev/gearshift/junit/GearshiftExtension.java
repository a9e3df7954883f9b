package dev.gearshift.junit;

import dev.gearshift.Gearshift;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The extension behind {@link GearshiftTest}; registered by hand when the project is set up in code:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final GearshiftExtension DATABASE = GearshiftExtension.of(b -> b.project(Path.of("db")).placeholder("role", "app"));
 * }</pre>
 *
 * Each test class gets its own database, copied from a template migrated once per test run and configuration;
 * it is dropped after the class.
 */
public final class GearshiftExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
            GearshiftExtension.class);

    /** Null when configured by {@link GearshiftTest} on the test class. */
    private final Configuration configured;

    /** Used by {@link GearshiftTest}: the configuration is the annotation's. */
    public GearshiftExtension() {
        this.configured = null;
    }

    private GearshiftExtension(Configuration configured) {
        this.configured = configured;
    }

    /**
     * @param project sets up the migrations, as {@link dev.gearshift.diff.SchemaAssertions} takes them; the URL,
     *                DataSource and schema are the extension's to set (the schema: the project's default)
     */
    public static GearshiftExtension of(UnaryOperator<Gearshift.Builder> project) {
        Objects.requireNonNull(project, "project");
        return new GearshiftExtension(new Configuration(project, null, new Object()));
    }

    /** As {@link #of(UnaryOperator)}, with the schema to migrate. */
    public static GearshiftExtension of(UnaryOperator<Gearshift.Builder> project, String schema) {
        return new GearshiftExtension(new Configuration(project, schema, new Object()));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        database(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == GearshiftDatabase.class || type == DataSource.class || type == Gearshift.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        GearshiftDatabase database = database(context);
        Class<?> type = parameter.getParameter().getType();
        return type == DataSource.class ? database.dataSource() : type == Gearshift.class ? database.gearshift()
                : database;
    }

    /** The class's database, made when first asked for; nested classes get their own. */
    private GearshiftDatabase database(ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        Configuration configuration = configured != null ? configured : fromAnnotation(classContext);
        ExtensionContext root = context.getRoot();
        // Keyed by the class: a store also answers with what its parents hold, and a nested class gets its own copy.
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(classContext.getUniqueId(), key -> {
            TestServer server = root.getStore(NAMESPACE).getOrComputeIfAbsent(TestServer.class,
                    k -> TestServer.start(), TestServer.class);
            TemplateDatabase template = root.getStore(NAMESPACE).getOrComputeIfAbsent(configuration.key(),
                    k -> TemplateDatabase.migrate(server, configuration.project(), configuration.schema()),
                    TemplateDatabase.class);
            return new ClassDatabase(template.copy());
        }, ClassDatabase.class).database();
    }

    private static Configuration fromAnnotation(ExtensionContext classContext) {
        Class<?> testClass = classContext.getRequiredTestClass();
        GearshiftTest test = AnnotationSupport.findAnnotation(testClass, GearshiftTest.class)
                .or(() -> enclosing(testClass))
                .orElseThrow(() -> new ExtensionConfigurationException(testClass.getName() + " uses "
                        + GearshiftExtension.class.getSimpleName() + " without @GearshiftTest: annotate the class,"
                        + " or register GearshiftExtension.of(...) with @RegisterExtension"));
        UnaryOperator<Gearshift.Builder> project = builder -> {
            if (!test.project().isEmpty()) {
                builder.project(Path.of(test.project()));
            }
            if (!test.migrations().isEmpty()) {
                builder.migrations(test.migrations());
            } else if (test.project().isEmpty()) {
                builder.migrations("classpath:db/migrations");
            }
            for (String placeholder : test.placeholders()) {
                int equals = placeholder.indexOf('=');
                if (equals < 1) {
                    throw new ExtensionConfigurationException("placeholder '" + placeholder + "' of "
                            + testClass.getName() + " is not name=value");
                }
                builder.placeholder(placeholder.substring(0, equals), placeholder.substring(equals + 1));
            }
            return builder;
        };
        // Classes annotated alike share one template.
        String key = test.project() + "\n" + test.migrations() + "\n" + test.schema() + "\n"
                + Arrays.toString(test.placeholders());
        return new Configuration(project, test.schema().isEmpty() ? null : test.schema(), key);
    }

    private static java.util.Optional<GearshiftTest> enclosing(Class<?> testClass) {
        for (Class<?> outer = testClass.getEnclosingClass(); outer != null; outer = outer.getEnclosingClass()) {
            java.util.Optional<GearshiftTest> found = AnnotationSupport.findAnnotation(outer, GearshiftTest.class);
            if (found.isPresent()) {
                return found;
            }
        }
        return java.util.Optional.empty();
    }

    /** @param key equal for configurations that share a template */
    private record Configuration(UnaryOperator<Gearshift.Builder> project, String schema, Object key) {
    }

    /** The class's copy, dropped when the class is done. */
    // Stored values are closed as AutoCloseable by JUnit 5.13+ (which warns about CloseableResource alone), as
    // CloseableResource by older versions: these are both.
    private record ClassDatabase(GearshiftDatabase database) implements ExtensionContext.Store.CloseableResource,
        AutoCloseable {
        @Override
        public void close() {
            database.drop();
        }
    }
}
