package dev.nestor.sandbox.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sandbox's development tokens: a key pair made once and kept, and RS256 tokens cluster-service accepts. */
class DevTokensTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path state;

    @Test
    void aTenantTokenIsSignedByTheKeptKeyAndCarriesWhatClusterServiceChecks() throws Exception {
        Instant now = Instant.ofEpochSecond(1_800_000_000L);
        DevTokens tokens = DevTokens.in(state);
        assertThat(tokens.publicKey()).isEqualTo(state.toAbsolutePath().resolve("jwt/public.pem"));
        assertThat(Files.getPosixFilePermissions(state.resolve("jwt/private.pem")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        String publicPem = Files.readString(tokens.publicKey());

        String token = tokens.tenant("acme", now);
        assertThat(verifies(token, publicPem)).isTrue();
        JsonNode header = part(token, 0);
        assertThat(header.path("alg").asText()).isEqualTo("RS256");
        JsonNode claims = part(token, 1);
        assertThat(claims.path("iss").asText()).isEqualTo("https://nestor.dev");
        assertThat(claims.path("aud").asText()).isEqualTo("nestor");
        assertThat(claims.path("sub").asText()).isEqualTo("dev-acme");
        assertThat(claims.path("tenant").asText()).isEqualTo("acme");
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(3600);

        JsonNode admin = part(tokens.admin(now), 1);
        assertThat(admin.path("sub").asText()).isEqualTo("dev-admin");
        assertThat(admin.path("groups").get(0).asText()).isEqualTo("nestor-admin");
        assertThat(admin.has("tenant")).isFalse();

        // A second issuer on the same state directory (the next ./nestor token, a restart) uses the same key.
        assertThat(verifies(DevTokens.in(state).tenant("globex", now), publicPem)).isTrue();
        assertThatThrownBy(() -> tokens.tenant("Not_A_Tenant", now)).isInstanceOf(IllegalArgumentException.class);
    }

    static boolean verifies(String token, String publicPem) throws Exception {
        byte[] der = Base64.getMimeDecoder().decode(publicPem.replaceAll("-----[A-Z ]+-----", ""));
        PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(key);
        int lastDot = token.lastIndexOf('.');
        rs256.update(token.substring(0, lastDot).getBytes(StandardCharsets.US_ASCII));
        return rs256.verify(Base64.getUrlDecoder().decode(token.substring(lastDot + 1)));
    }

    static JsonNode part(String token, int index) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[index]));
    }
}
