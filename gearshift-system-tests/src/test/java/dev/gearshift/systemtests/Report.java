package dev.gearshift.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The figures docs/RELIABILITY.md quotes: each test appends what it did and measured to
 * {@code target/reliability/<test>.txt} (and to its standard output).
 */
final class Report {

    private final Path file;

    private Report(Path file) {
        this.file = file;
    }

    static Report of(Class<?> test) {
        Path file = Path.of("target", "reliability", test.getSimpleName() + ".txt");
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Report(file);
    }

    synchronized void line(String text) {
        System.out.println(text);
        try {
            Files.writeString(file, text + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
