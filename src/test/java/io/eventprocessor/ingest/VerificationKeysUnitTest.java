package io.eventprocessor.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.eclipse.microprofile.config.Config;
import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.jwt.util.KeyUtils;

/** The verification key is loaded at start-up: a PEM key or a JWKS loads; anything else stops the start, naming why. */
class VerificationKeysUnitTest {

    @TempDir
    Path directory;

    @Test
    void aPemKeyOnTheClassPathLoads() {
        assertThat(VerificationKeys.load(config("jwt/test-verification-key.pem")))
                .isEqualTo("the public key of jwt/test-verification-key.pem");
    }

    @Test
    void aJwksFileLoads() throws Exception {
        String jwk = PublicJsonWebKey.Factory.newPublicJwk(KeyUtils.readPublicKey("jwt/test-verification-key.pem"))
                .toJson();
        Path jwks = Files.writeString(directory.resolve("jwks.json"), "{\"keys\":[" + jwk + "]}");

        assertThat(VerificationKeys.load(config(jwks.toUri().toString()))).startsWith("1 public key(s) from file:");
    }

    @Test
    void aMissingFileStopsTheStartNamingTheSetting() {
        String location = directory.resolve("absent.pem").toUri().toString();

        assertThatThrownBy(() -> VerificationKeys.load(config(location)))
                .hasMessageStartingWith("The token verification key cannot be read (mp.jwt.verify.publickey.location="
                        + location + ")");
    }

    @Test
    void aFileWithoutAKeyStopsTheStart() throws Exception {
        Path notAKey = Files.writeString(directory.resolve("key.pem"), "<html>login page</html>");

        assertThatThrownBy(() -> VerificationKeys.load(config(notAKey.toUri().toString())))
                .hasMessageStartingWith("The token verification key is neither a public key, a certificate nor a JWKS");
    }

    @Test
    void aKeySetWithoutKeysStopsTheStart() throws Exception {
        Path empty = Files.writeString(directory.resolve("jwks.json"), "{\"keys\":[]}");

        assertThatThrownBy(() -> VerificationKeys.load(config(empty.toUri().toString())))
                .hasMessageStartingWith("The token verification key set holds no public key");
    }

    private static Config config(String location) {
        return new SmallRyeConfigBuilder()
                .withSources(
                        new PropertiesConfigSource(Map.of("mp.jwt.verify.publickey.location", location), "test", 500))
                .build();
    }
}
