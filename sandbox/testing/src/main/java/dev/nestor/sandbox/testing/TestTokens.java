package dev.nestor.sandbox.testing;

import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.smallrye.jwt.util.KeyUtils;

import java.security.PrivateKey;
import java.time.Duration;

/**
 * Bearer tokens for the services' tests, signed with the test key {@code jwt/private.pem} of this library; a service
 * verifies them under its {@code test} profile with {@code mp.jwt.verify.publickey.location=jwt/public.pem}. The key
 * is for tests only and never deployed.
 */
public final class TestTokens {
    public static final String ISSUER = "https://nestor.dev";
    public static final String AUDIENCE = "nestor";
    public static final String ADMIN_SUBJECT = "test-admin";

    private TestTokens() {
    }

    /** Claims every valid token has: issuer, audience, subject, one hour to live. */
    public static JwtClaimsBuilder claims(String subject) {
        return Jwt.issuer(ISSUER).audience(AUDIENCE).subject(subject).expiresIn(Duration.ofHours(1));
    }

    /** A token of tenant {@code t}, subject {@code user-<t>}. */
    public static String tenant(String tenant) {
        return sign(claims("user-" + tenant).claim("tenant", tenant));
    }

    /** A token of a platform administrator (group {@code nestor-admin}). */
    public static String admin() {
        return sign(claims(ADMIN_SUBJECT).groups("nestor-admin"));
    }

    /** Signs with the test key. */
    public static String sign(JwtClaimsBuilder claims) {
        return claims.sign(key());
    }

    /** From now on every RestAssured request of this test sends the token (undo with {@link #sendNone()}). */
    public static void sendWithEveryRequest(String token) {
        RestAssured.requestSpecification = new RequestSpecBuilder().addHeader("Authorization", "Bearer " + token).build();
    }

    /** RestAssured requests send no token again. */
    public static void sendNone() {
        RestAssured.requestSpecification = null;
    }

    private static PrivateKey key() {
        try {
            return KeyUtils.readPrivateKey("jwt/private.pem");
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the test signing key jwt/private.pem", e);
        }
    }
}
