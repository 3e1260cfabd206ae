package dev.nestor.cluster.kubeconfig;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/** A throw-away cluster CA for tests, made as kubeadm makes one ({@code CN=kubernetes}, RSA) or with an EC key. */
public record TestCa(X509Certificate certificate, KeyPair keys) {

    /** A CA valid from an hour ago for {@code validity}, with an {@code RSA} or {@code EC} key. */
    public static TestCa generate(String algorithm, Duration validity) {
        try {
            // Bouncy Castle's EC keys keep curve and public point in their SEC1 form, as Go's (kubeadm's) do.
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm, new BouncyCastleProvider());
            generator.initialize("RSA".equals(algorithm) ? 2048 : 256);
            KeyPair keys = generator.generateKeyPair();
            X500Name subject = new X500Name("CN=kubernetes");
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(now.toEpochMilli()),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(validity)), subject, keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.digitalSignature));
            String signature = "RSA".equals(algorithm) ? "SHA256withRSA" : "SHA256withECDSA";
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder(signature).build(keys.getPrivate())));
            return new TestCa(certificate, keys);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public String certificatePem() {
        return pem(certificate);
    }

    /** The key as OpenSSL's traditional PEM ({@code RSA PRIVATE KEY} / {@code EC PRIVATE KEY}), as kubeadm writes it. */
    public String keyPem() {
        return pem(keys.getPrivate());
    }

    /** The key as PKCS#8 ({@code PRIVATE KEY}), as cert-manager writes it. */
    public String pkcs8KeyPem() {
        try {
            return pem(new JcaPKCS8Generator(keys.getPrivate(), null).generate());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The certificate as a kubeconfig's {@code certificate-authority-data}. */
    public String kubeconfigData() {
        return Base64.getEncoder().encodeToString(certificatePem().getBytes(StandardCharsets.UTF_8));
    }

    private static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }
}
