package dev.gearshift.internal.source;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import dev.gearshift.JavaMigration;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles a {@code <version>_<name>.java} migration file in memory with the JDK's compiler and
 * instantiates its top-level class. The file name cannot be the class name (it starts with a digit),
 * so the source is handed to the compiler under the class's own name.
 */
public final class JavaFileCompiler {

    private final Map<String, JavaMigration> compiled = new java.util.concurrent.ConcurrentHashMap<>();

    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern CLASS = Pattern.compile("^\\s*(?:public\\s+)?(?:final\\s+)?class\\s+(\\w+)",
            Pattern.MULTILINE);

    /** Compiles once per location and source text; later calls (other targets, other threads) reuse the instance. */
    public JavaMigration compile(String location, String source) {
        return compiled.computeIfAbsent(location + "\u0000" + source, key -> compileNow(location, source));
    }

    private JavaMigration compileNow(String location, String source) {
        Matcher classMatch = CLASS.matcher(source);
        if (!classMatch.find()) {
            throw failure(location, "no top-level class found; declare `public class Name implements JavaMigration`");
        }
        Matcher packageMatch = PACKAGE.matcher(source);
        String className = (packageMatch.find() ? packageMatch.group(1) + "." : "") + classMatch.group(1);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw failure(location, "compiling Java migrations needs a JDK, but this is a JRE");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Map<String, ByteArrayOutputStream> classes = new HashMap<>();
        StandardJavaFileManager standard = compiler.getStandardFileManager(diagnostics, null, null);
        try (InMemoryFileManager files = new InMemoryFileManager(standard, classes)) {
            List<String> options = List.of("-classpath", classpath(), "-proc:none", "-nowarn", "-g");
            boolean ok = compiler.getTask(null, files, diagnostics, options, null,
                    List.of(new Source(className, source))).call();
            if (!ok) {
                StringBuilder why = new StringBuilder("does not compile:");
                for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                    if (d.getKind() == Diagnostic.Kind.ERROR) {
                        why.append("\n    ").append(location).append(':').append(d.getLineNumber()).append(": ")
                                .append(d.getMessage(null));
                    }
                }
                throw failure(location, why.toString());
            }
        } catch (java.io.IOException e) {
            throw failure(location, e.getMessage());
        }
        ClassLoader loader = new ClassLoader(JavaMigration.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                ByteArrayOutputStream bytes = classes.get(name);
                if (bytes == null) {
                    throw new ClassNotFoundException(name);
                }
                byte[] code = bytes.toByteArray();
                return defineClass(name, code, 0, code.length);
            }
        };
        try {
            Object instance = loader.loadClass(className).getDeclaredConstructor().newInstance();
            if (!(instance instanceof JavaMigration migration)) {
                throw failure(location, className + " does not implement " + JavaMigration.class.getName());
            }
            return migration;
        } catch (ReflectiveOperationException e) {
            throw failure(location, "cannot instantiate " + className + " (it needs a public no-argument constructor): " + e);
        }
    }

    private static GearshiftException failure(String location, String why) {
        return new GearshiftException(ErrorCode.VALIDATION, location + ": Java migration " + why);
    }

    /** The classes a migration may use: Gearshift's API and whatever runs Gearshift (JDBC drivers, the app). */
    private static String classpath() {
        String own;
        try {
            own = Path.of(JavaMigration.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException | NullPointerException e) {
            own = "";
        }
        return own + File.pathSeparator + System.getProperty("java.class.path");
    }

    private static final class Source extends SimpleJavaFileObject {
        private final String code;

        Source(String className, String code) {
            super(URI.create("string:///" + className.replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
            this.code = code;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }
    }

    private static final class InMemoryFileManager extends ForwardingJavaFileManager<StandardJavaFileManager> {
        private final Map<String, ByteArrayOutputStream> classes;

        InMemoryFileManager(StandardJavaFileManager standard, Map<String, ByteArrayOutputStream> classes) {
            super(standard);
            this.classes = classes;
        }

        @Override
        public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                                                   FileObject sibling) {
            return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + kind.extension), kind) {
                @Override
                public OutputStream openOutputStream() {
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    classes.put(className, bytes);
                    return bytes;
                }
            };
        }
    }
}
