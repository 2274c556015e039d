package io.camelpgrepl.client.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Md5PasswordTest {

    @Test
    void encodesAsPostgresqlDoes() {
        // Derived independently with python3:
        //   inner = hashlib.md5(b'postgrespostgres').hexdigest()
        //   'md5' + hashlib.md5(inner.encode() + bytes([1, 2, 3, 4])).hexdigest()
        String expected = "md568be9ed08db75f318087ab337aaea044";

        String actual = Md5Password.encode("postgres", "postgres", new byte[] {1, 2, 3, 4});

        assertThat(actual).as("md5 answer for postgres/postgres with salt 01020304").isEqualTo(expected);
    }
}
