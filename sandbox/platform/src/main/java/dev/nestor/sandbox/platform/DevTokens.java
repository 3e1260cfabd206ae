package dev.nestor.sandbox.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The sandbox's token issuer: an RSA key pair in {@code <state>/jwt/}, made on first use and kept across runs, and
 * development bearer JWTs signed with it ({@code ./nestor token <tenant>}, {@code ./nestor token --admin}).
 * cluster-service verifies them with the public half, which the platform hands it as
 * {@code MP_JWT_VERIFY_PUBLICKEY_LOCATION}.
 */
public final class DevTokens {
    /** The issuer and audience cluster-service expects by default. */
    public static final String ISSUER = "https://nestor.dev";
    public static final String AUDIENCE = "nestor";
    /** The group that acts on every tenant. */
    public static final String ADMIN_GROUP = "nestor-admin";
    public static final Duration LIFETIME = Duration.ofHours(1);
    static final String PRIVATE_KEY = "private.pem";
    static final String PUBLIC_KEY = "public.pem";
    static final Pattern TENANT = Pattern.compile("[a-z0-9]([-a-z0-9]{0,28}[a-z0-9])?");
    static final String USAGE = "usage: DevTokens [--state-dir DIR] (TENANT | --admin)";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final PrivateKey key;

    private DevTokens(Path dir, PrivateKey key) {
        this.dir = dir;
        this.key = key;
    }

    /** Prints one token: {@code --state-dir DIR} (default {@code .nestor}) and a tenant name or {@code --admin}. */
    public static void main(String[] args) {
        Path stateDir = Path.of(".nestor");
        String subject = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--state-dir") && i + 1 < args.length) {
                stateDir = Path.of(args[++i]);
            } else if (subject == null && (args[i].equals("--admin") || TENANT.matcher(args[i]).matches())) {
                subject = args[i];
            } else {
                System.err.println("'" + args[i] + "' is neither a tenant name (a DNS label of at most 30 characters)"
                        + " nor --admin\n" + USAGE);
                System.exit(2);
            }
        }
        if (subject == null) {
            System.err.println(USAGE);
            System.exit(2);
        }
        DevTokens tokens = in(stateDir);
        Instant now = Instant.now();
        System.out.println(subject.equals("--admin") ? tokens.admin(now) : tokens.tenant(subject, now));
    }

    /** The issuer of a state directory; generates the key pair when there is none yet. */
    public static DevTokens in(Path stateDir) {
        Path dir = stateDir.toAbsolutePath().resolve("jwt");
        try {
            if (!Files.isRegularFile(dir.resolve(PRIVATE_KEY)) || !Files.isRegularFile(dir.resolve(PUBLIC_KEY))) {
                generate(dir);
            }
            byte[] der = pem(Files.readString(dir.resolve(PRIVATE_KEY)));
            return new DevTokens(dir, KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the sandbox token key in " + dir, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the sandbox token key in " + dir + " is unusable; delete the folder", e);
        }
    }

    /** The PEM file of the public key, as cluster-service reads it. */
    public Path publicKey() {
        return dir.resolve(PUBLIC_KEY);
    }

    /** A token of tenant {@code t}: subject {@code dev-<t>}, claim {@code tenant}, one hour from {@code now}. */
    public String tenant(String tenant, Instant now) {
        if (!TENANT.matcher(tenant).matches()) {
            throw new IllegalArgumentException("not a tenant name: " + tenant);
        }
        Map<String, Object> claims = claims("dev-" + tenant, now);
        claims.put("tenant", tenant);
        return sign(claims);
    }

    /** A token of an administrator: subject {@code dev-admin}, group {@value #ADMIN_GROUP}, one hour from now. */
    public String admin(Instant now) {
        Map<String, Object> claims = claims("dev-admin", now);
        claims.put("groups", List.of(ADMIN_GROUP));
        return sign(claims);
    }

    private static Map<String, Object> claims(String subject, Instant now) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("aud", AUDIENCE);
        claims.put("sub", subject);
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(LIFETIME).getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        return claims;
    }

    private String sign(Map<String, Object> claims) {
        try {
            String signingInput = base64(JSON.writeValueAsBytes(Map.of("alg", "RS256", "typ", "JWT"))) + "."
                    + base64(JSON.writeValueAsBytes(claims));
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(key);
            rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + base64(rs256.sign());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }

    /**
     * Writes a new key pair into a private folder next to {@code dir} and renames it into place, so a platform and a
     * {@code ./nestor token} starting together never see half a pair; whoever renames second uses the first's.
     */
    private static void generate(Path dir) throws IOException, GeneralSecurityException {
        Files.createDirectories(dir.getParent());
        Path staging = Files.createTempDirectory(dir.getParent(), "jwt-");
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            Path privateKey = staging.resolve(PRIVATE_KEY);
            Files.createFile(privateKey, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(privateKey, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            Files.writeString(staging.resolve(PUBLIC_KEY), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
            if (Files.isDirectory(dir)) {
                deleteTree(dir); // a half pair left by an older run
            }
            Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException lostTheRace) {
            // another process put its pair in place first
        } finally {
            deleteTree(staging);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static byte[] pem(String text) {
        return Base64.getMimeDecoder().decode(text.replaceAll("-----[A-Z ]+-----", ""));
    }

    private static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
