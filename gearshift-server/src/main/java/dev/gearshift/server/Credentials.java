package dev.gearshift.server;

import dev.gearshift.ErrorCode;
import dev.gearshift.GearshiftException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/** A login for a database: the user, and a password read at start from an environment variable or a file. */
record Credentials(String user, String password) {

    static final Credentials NONE = new Credentials(null, null);

    static Credentials load(String user, String passwordEnv, String passwordFile, Function<String, String> env,
                            String where) {
        String password = null;
        if (passwordEnv != null) {
            password = env.apply(passwordEnv);
            if (password == null) {
                throw new GearshiftException(ErrorCode.USAGE, where + ": the environment variable " + passwordEnv
                        + " (password_env) is not set");
            }
        } else if (passwordFile != null) {
            try {
                password = Files.readString(Path.of(passwordFile)).strip();
            } catch (IOException e) {
                throw new GearshiftException(ErrorCode.USAGE, where + ": cannot read password_file " + passwordFile
                        + ": " + e.getMessage(), e);
            }
        }
        return new Credentials(user, password);
    }

    @Override
    public String toString() {
        return "Credentials[user=" + user + ", password=" + (password == null ? "none" : "***") + "]";
    }
}
