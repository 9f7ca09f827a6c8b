package io.eventprocessor.support;

import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.smallrye.jwt.util.KeyUtils;

/** Bearer tokens signed with the test key, whose public half the authentication tests' profiles trust. */
public final class TestTokens {

    private TestTokens() {}

    /** The claims signed with {@code src/test/resources/jwt/test-signing-key.pem} (RS256). */
    public static String sign(JwtClaimsBuilder claims) {
        try {
            return claims.sign(KeyUtils.readPrivateKey("jwt/test-signing-key.pem"));
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the test signing key", e);
        }
    }
}
