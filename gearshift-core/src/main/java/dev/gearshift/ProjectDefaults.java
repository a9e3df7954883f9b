package dev.gearshift;

import dev.gearshift.internal.source.ProjectFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The target a project's {@code gearshift.yaml} names by default, for tools that reach a database themselves (a
 * schema diff reads the live schema through its own connection). Empty where the file names none, or there is none.
 */
public record ProjectDefaults(Optional<String> url, Optional<String> schema) {

    /** Reads {@code gearshift.yaml} in {@code projectDirectory}, if it has one. */
    public static ProjectDefaults read(Path projectDirectory) {
        Path file = projectDirectory.resolve(ProjectFile.FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return new ProjectDefaults(Optional.empty(), Optional.empty());
        }
        ProjectFile project = ProjectFile.read(file);
        return new ProjectDefaults(Optional.ofNullable(project.url()), Optional.ofNullable(project.schema()));
    }
}
