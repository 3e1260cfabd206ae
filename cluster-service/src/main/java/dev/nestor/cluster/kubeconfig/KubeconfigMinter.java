package dev.nestor.cluster.kubeconfig;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.ConfigBuilder;
import io.fabric8.kubernetes.api.model.NamedCluster;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/**
 * Mints a short-lived kubeconfig for a tenant cluster (DESIGN §11): a fresh EC P-256 key and a client certificate
 * for the caller, in a group the tenant cluster binds to cluster-admin, signed with the cluster's CA. No I/O and no
 * clock of its own: the caller passes the CA, the endpoint and {@code now}.
 */
public final class KubeconfigMinter {
    /** The longest lifetime a minted certificate may have (DESIGN §11). */
    public static final Duration MAX_TTL = Duration.ofHours(24);
    /** Certificates start this far in the past so an API server whose clock runs a little behind accepts them. */
    public static final Duration BACKDATE = Duration.ofMinutes(5);
    /** The group (certificate {@code O}) that every tenant cluster binds to the {@code cluster-admin} ClusterRole. */
    public static final String CLUSTER_ADMINS_GROUP = "nestor:cluster-admins";

    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * Generates the client keys (not registered globally): its EC keys write as a complete SEC1 {@code EC PRIVATE KEY}
     * (curve and public point included), the one EC form both kubectl and the fabric8 client read.
     */
    private static final Provider KEYS = new BouncyCastleProvider();
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build();

    private final X509Certificate caCertificate;
    private final PrivateKey caKey;

    public KubeconfigMinter(X509Certificate caCertificate, PrivateKey caKey) {
        this.caCertificate = caCertificate;
        this.caKey = caKey;
    }

    /** Where the tenant API server is and the CA data a client verifies it with (base64 PEM, as in a kubeconfig). */
    public record Endpoint(String server, String certificateAuthorityData) {
        /** The first cluster of a kubeconfig such as Kamaji's {@code admin.conf}; IllegalArgumentException if it has none. */
        public static Endpoint fromKubeconfig(String kubeconfigYaml) {
            Config config;
            try {
                config = YAML.readValue(kubeconfigYaml, Config.class);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("not a kubeconfig: " + e.getOriginalMessage(), e);
            }
            List<NamedCluster> clusters = config == null ? null : config.getClusters();
            if (clusters == null || clusters.isEmpty() || clusters.get(0).getCluster() == null
                    || isBlank(clusters.get(0).getCluster().getServer())) {
                throw new IllegalArgumentException("the kubeconfig names no cluster server");
            }
            var cluster = clusters.get(0).getCluster();
            return new Endpoint(cluster.getServer(), cluster.getCertificateAuthorityData());
        }
    }

    /** The CA as stored in a Secret: a PEM certificate and a PEM key (PKCS#1, SEC1 or PKCS#8). */
    public static KubeconfigMinter fromPem(String certificatePem, String keyPem) {
        try (PEMParser certificates = new PEMParser(new StringReader(certificatePem));
                PEMParser keys = new PEMParser(new StringReader(keyPem))) {
            Object certificate = certificates.readObject();
            Object key = keys.readObject();
            if (!(certificate instanceof X509CertificateHolder holder)) {
                throw new IllegalArgumentException("the CA certificate is not a PEM certificate");
            }
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            PrivateKey privateKey;
            if (key instanceof PEMKeyPair pair) {
                // not getKeyPair(): a SEC1 EC key may omit its public half
                privateKey = converter.getPrivateKey(pair.getPrivateKeyInfo());
            } else if (key instanceof PrivateKeyInfo info) {
                privateKey = converter.getPrivateKey(info);
            } else {
                throw new IllegalArgumentException("the CA key is not an unencrypted PEM private key");
            }
            return new KubeconfigMinter(new JcaX509CertificateConverter().getCertificate(holder), privateKey);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the CA: " + e.getMessage(), e);
        }
    }

    /**
     * The lifetime to grant: {@code requested} when given, never more than {@code configured}; IllegalArgumentException
     * when {@code requested} is zero or negative.
     */
    public static Duration effectiveTtl(Duration configured, Duration requested) {
        if (requested == null) {
            return configured;
        }
        if (requested.isNegative() || requested.isZero()) {
            throw new IllegalArgumentException("ttl must be positive");
        }
        return requested.compareTo(configured) > 0 ? configured : requested;
    }

    /**
     * A kubeconfig with one cluster, one user (client certificate for {@code identity} in
     * {@link #CLUSTER_ADMINS_GROUP}) and one current context named {@code contextName}. The certificate is valid from
     * {@code now - BACKDATE} for {@code ttl}, at most {@link #MAX_TTL} and never past the CA's own expiry.
     */
    public String mint(String contextName, Endpoint endpoint, String identity, Instant now, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive");
        }
        Instant notAfter = now.plus(ttl.compareTo(MAX_TTL) > 0 ? MAX_TTL : ttl);
        if (notAfter.isAfter(caCertificate.getNotAfter().toInstant())) {
            notAfter = caCertificate.getNotAfter().toInstant();
        }
        KeyPair pair = ecKeyPair();
        X509Certificate certificate = sign(identity, pair, now.minus(BACKDATE), notAfter);
        String user = identity + "@" + contextName;
        Config config = new ConfigBuilder()
                .withApiVersion("v1")
                .withKind("Config")
                .addNewCluster()
                    .withName(contextName)
                    .withNewCluster()
                        .withServer(endpoint.server())
                        .withCertificateAuthorityData(endpoint.certificateAuthorityData())
                    .endCluster()
                .endCluster()
                .addNewUser()
                    .withName(user)
                    .withNewUser()
                        .withClientCertificateData(base64(pem(certificate)))
                        .withClientKeyData(base64(pem(pair.getPrivate())))
                    .endUser()
                .endUser()
                .addNewContext()
                    .withName(contextName)
                    .withNewContext()
                        .withCluster(contextName)
                        .withUser(user)
                    .endContext()
                .endContext()
                .withCurrentContext(contextName)
                .build();
        try {
            return YAML.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a kubeconfig: " + e.getOriginalMessage(), e);
        }
    }

    private X509Certificate sign(String identity, KeyPair pair, Instant notBefore, Instant notAfter) {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, identity)
                .addRDN(BCStyle.O, CLUSTER_ADMINS_GROUP)
                .build();
        try {
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caCertificate, serial(),
                    Date.from(notBefore), Date.from(notAfter), subject, pair.getPublic());
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    extensions.createAuthorityKeyIdentifier(caCertificate));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    extensions.createSubjectKeyIdentifier(pair.getPublic()));
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(signatureAlgorithm(caKey)).build(caKey)));
        } catch (CertIOException e) {
            throw new UncheckedIOException(e);
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the cluster CA: " + e.getMessage(), e);
        }
    }

    /** kubeadm's CAs are RSA; an EC CA (possible with Kamaji's own PKI settings) signs with ECDSA. */
    private static String signatureAlgorithm(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new IllegalArgumentException("unsupported CA key algorithm " + key.getAlgorithm());
        };
    }

    private static KeyPair ecKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", KEYS);
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 is not available: " + e.getMessage(), e);
        }
    }

    /** Positive and at most 20 octets (RFC 5280 §4.1.2.2), unpredictable. */
    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    private static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
