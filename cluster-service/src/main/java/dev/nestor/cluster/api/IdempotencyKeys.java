package dev.nestor.cluster.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.nestor.cluster.model.TenantCluster;
import dev.nestor.cluster.model.TenantClusterSpec;
import dev.nestor.support.problem.Problem;
import dev.nestor.support.problem.ProblemException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Idempotent POST: the {@code Idempotency-Key} and a hash of the (defaulted) spec are kept as
 * annotations on the TenantCluster itself, so whichever replica gets the retry recognises it.
 */
final class IdempotencyKeys {
    static final String HEADER = "Idempotency-Key";
    static final String KEY_ANNOTATION = "nestor.dev/idempotency-key";
    static final String HASH_ANNOTATION = "nestor.dev/request-hash";
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private IdempotencyKeys() {
    }

    /** The annotations to store for a key; none without one. 400 for a malformed key. */
    static Map<String, String> annotations(String key, TenantClusterSpec spec) {
        if (key == null) {
            return Map.of();
        }
        if (!KEY.matcher(key).matches()) {
            throw ProblemException.badRequest("bad-idempotency-key",
                    "Idempotency-Key is 1 to 128 letters, digits and . _ : -");
        }
        return Map.of(KEY_ANNOTATION, key, HASH_ANNOTATION, hash(spec));
    }

    /**
     * True when {@code existing} was created by the same key and the same spec: a replay. The same
     * key with another body is a client error (422), never silently accepted.
     */
    static boolean replays(TenantCluster existing, String key, TenantClusterSpec spec) {
        if (key == null || existing.getMetadata().getAnnotations() == null
                || !key.equals(existing.getMetadata().getAnnotations().get(KEY_ANNOTATION))) {
            return false;
        }
        if (!hash(spec).equals(existing.getMetadata().getAnnotations().get(HASH_ANNOTATION))) {
            throw new ProblemException(Problem.of(422, "idempotency-key-reused", "Unprocessable Content",
                    "Idempotency-Key " + key + " was used for a different request"));
        }
        return true;
    }

    static String hash(TenantClusterSpec spec) {
        try {
            byte[] json = CANONICAL.writeValueAsString(CANONICAL.valueToTree(spec)).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json)).substring(0, 32);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash a spec", e);
        }
    }
}
