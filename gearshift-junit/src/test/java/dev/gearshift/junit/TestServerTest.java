package dev.gearshift.junit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TestServerTest {

    @Test
    void namesAnotherDatabaseOfTheSameServerKeepingCredentials() {
        assertThat(new TestServer("jdbc:postgresql://127.0.0.1:5432/test?user=postgres", null).urlOf("x"))
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/x?user=postgres");
        assertThat(new TestServer("jdbc:postgresql://db:5432/?user=a&password=b", null).urlOf("x"))
                .isEqualTo("jdbc:postgresql://db:5432/x?user=a&password=b");
        assertThat(new TestServer("jdbc:postgresql://db?user=a", null).urlOf("x"))
                .isEqualTo("jdbc:postgresql://db/x?user=a");
        assertThat(new TestServer("jdbc:postgresql://localhost:5433/postgres", null).urlOf("x"))
                .isEqualTo("jdbc:postgresql://localhost:5433/x");
    }
}
