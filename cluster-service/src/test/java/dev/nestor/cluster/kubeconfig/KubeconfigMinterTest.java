package dev.nestor.cluster.kubeconfig;

import dev.nestor.cluster.config.KubeconfigConfig;
import io.fabric8.kubernetes.client.Config;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The minted kubeconfig, without Quarkus: what a tenant's kubectl and the tenant API server will see. */
class KubeconfigMinterTest {
    static final TestCa RSA_CA = TestCa.generate("RSA", Duration.ofDays(3650));
    /** Certificates carry whole seconds. */
    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    static final KubeconfigMinter.Endpoint ENDPOINT =
            new KubeconfigMinter.Endpoint("https://demo.tenant-acme.example:6443", RSA_CA.kubeconfigData());

    @Test
    void theKubeconfigHasOneClusterUserAndCurrentContext() {
        String yaml = minter(RSA_CA).mint("acme-demo", ENDPOINT, "alice", NOW, Duration.ofHours(8));

        Config config = Config.fromKubeconfig(yaml);
        assertThat(config.getMasterUrl()).startsWith("https://demo.tenant-acme.example:6443");
        assertThat(config.getCaCertData()).isEqualTo(RSA_CA.kubeconfigData());
        assertThat(config.getCurrentContext().getName()).isEqualTo("acme-demo");
        assertThat(config.getCurrentContext().getContext().getCluster()).isEqualTo("acme-demo");
        assertThat(config.getClientCertData()).isNotBlank();
        assertThat(config.getClientKeyData()).isNotBlank();
        assertThat(config.getContexts()).hasSize(1);
        assertThat(yaml).doesNotContain("token");
    }

    @Test
    void theCertificateIsSignedByTheClusterCaForTheCallerInTheAdminGroup() throws Exception {
        Config config = Config.fromKubeconfig(minter(RSA_CA).mint("acme-demo", ENDPOINT, "tenant:acme", NOW, Duration.ofHours(8)));
        X509Certificate certificate = certificate(config.getClientCertData());

        certificate.verify(RSA_CA.certificate().getPublicKey());
        assertThat(certificate.getIssuerX500Principal()).isEqualTo(RSA_CA.certificate().getSubjectX500Principal());
        X500Name subject = new X500Name(certificate.getSubjectX500Principal().getName());
        assertThat(IETFUtils.valueToString(subject.getRDNs(BCStyle.CN)[0].getFirst().getValue())).isEqualTo("tenant:acme");
        assertThat(subject.getRDNs(BCStyle.O)).hasSize(1);
        assertThat(IETFUtils.valueToString(subject.getRDNs(BCStyle.O)[0].getFirst().getValue()))
                .isEqualTo("nestor:cluster-admins");
        assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
        assertThat(certificate.getNotBefore().toInstant()).isEqualTo(NOW.minus(Duration.ofMinutes(5)));
        assertThat(certificate.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofHours(8)));
        assertThat(certificate.getPublicKey().getAlgorithm()).isEqualTo("EC");
        // SEC1 with curve and public point: the EC form kubectl and the fabric8 client both read
        assertThat(new String(Base64.getDecoder().decode(config.getClientKeyData()), StandardCharsets.US_ASCII))
                .startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThat(config.getClientKeyAlgo()).isEqualTo("EC");
        assertThat(keyMatches(certificate, key(config.getClientKeyData()))).isTrue();
    }

    @Test
    void everyKubeconfigHasItsOwnKeyAndSerial() {
        KubeconfigMinter minter = minter(RSA_CA);
        Config first = Config.fromKubeconfig(minter.mint("acme-demo", ENDPOINT, "alice", NOW, Duration.ofHours(1)));
        Config second = Config.fromKubeconfig(minter.mint("acme-demo", ENDPOINT, "alice", NOW, Duration.ofHours(1)));

        assertThat(first.getClientKeyData()).isNotEqualTo(second.getClientKeyData());
        assertThat(certificate(first.getClientCertData()).getSerialNumber())
                .isNotEqualTo(certificate(second.getClientCertData()).getSerialNumber())
                .isPositive();
    }

    @Test
    void anEcCaSignsTooWithItsKeyInSec1OrPkcs8() throws Exception {
        TestCa ec = TestCa.generate("EC", Duration.ofDays(365));
        for (String keyPem : new String[] {ec.keyPem(), ec.pkcs8KeyPem()}) {
            String yaml = KubeconfigMinter.fromPem(ec.certificatePem(), keyPem)
                    .mint("globex-web", new KubeconfigMinter.Endpoint("https://web:6443", ec.kubeconfigData()), "bob",
                            NOW, Duration.ofHours(2));

            certificate(Config.fromKubeconfig(yaml).getClientCertData()).verify(ec.certificate().getPublicKey());
        }
        assertThat(ec.keyPem()).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThat(ec.pkcs8KeyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void theLifetimeIsClampedToTheConfiguredTtlAndTo24Hours() {
        Duration configured = Duration.ofHours(8);
        assertThat(KubeconfigMinter.effectiveTtl(configured, null)).isEqualTo(configured);
        assertThat(KubeconfigMinter.effectiveTtl(configured, Duration.ofHours(1))).isEqualTo(Duration.ofHours(1));
        assertThat(KubeconfigMinter.effectiveTtl(configured, Duration.ofHours(30))).isEqualTo(configured);
        assertThatThrownBy(() -> KubeconfigMinter.effectiveTtl(configured, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KubeconfigMinter.effectiveTtl(configured, Duration.ofMinutes(-5)))
                .isInstanceOf(IllegalArgumentException.class);

        X509Certificate longest = certificate(Config.fromKubeconfig(
                minter(RSA_CA).mint("acme-demo", ENDPOINT, "alice", NOW, Duration.ofDays(7))).getClientCertData());
        assertThat(longest.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofHours(24)));
    }

    @Test
    void aCertificateNeverOutlivesItsCa() {
        TestCa expiring = TestCa.generate("EC", Duration.ofHours(2));
        X509Certificate certificate = certificate(Config.fromKubeconfig(
                minter(expiring).mint("acme-demo", ENDPOINT, "alice", NOW, Duration.ofHours(8))).getClientCertData());
        assertThat(certificate.getNotAfter()).isEqualTo(expiring.certificate().getNotAfter());
    }

    @Test
    void theConfiguredTtlIsRefusedAbove24Hours() {
        KubeconfigConfig.TtlConverter converter = new KubeconfigConfig.TtlConverter();
        assertThat(converter.convert("PT8H")).isEqualTo(Duration.ofHours(8));
        assertThat(converter.convert("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(converter.convert("PT24H")).isEqualTo(Duration.ofHours(24));
        assertThatThrownBy(() -> converter.convert("PT25H")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nestor.kubeconfig.ttl=PT25H").hasMessageContaining("at most 24 h");
        assertThatThrownBy(() -> converter.convert("0s")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theEndpointComesFromTheAdminKubeconfig() {
        String adminConf = """
                apiVersion: v1
                kind: Config
                clusters:
                - cluster:
                    certificate-authority-data: %s
                    server: https://10.96.0.17:6443
                  name: demo
                contexts:
                - context: {cluster: demo, user: kubernetes-admin}
                  name: kubernetes-admin@demo
                current-context: kubernetes-admin@demo
                preferences: {}
                users:
                - name: kubernetes-admin
                  user: {client-certificate-data: Zm9v, client-key-data: YmFy}
                """.formatted(RSA_CA.kubeconfigData());
        assertThat(KubeconfigMinter.Endpoint.fromKubeconfig(adminConf))
                .isEqualTo(new KubeconfigMinter.Endpoint("https://10.96.0.17:6443", RSA_CA.kubeconfigData()));
        assertThatThrownBy(() -> KubeconfigMinter.Endpoint.fromKubeconfig("apiVersion: v1\nkind: Config\n"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KubeconfigMinter.Endpoint.fromKubeconfig("{{{"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSecretThatHoldsNoCaIsRefused() {
        assertThatThrownBy(() -> KubeconfigMinter.fromPem("not a pem", RSA_CA.keyPem()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KubeconfigMinter.fromPem(RSA_CA.certificatePem(), RSA_CA.certificatePem()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static KubeconfigMinter minter(TestCa ca) {
        return KubeconfigMinter.fromPem(ca.certificatePem(), ca.keyPem());
    }

    static X509Certificate certificate(String base64Pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(base64Pem)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static PrivateKey key(String base64Pem) throws Exception {
        try (PEMParser parser = new PEMParser(new StringReader(
                new String(Base64.getDecoder().decode(base64Pem), StandardCharsets.UTF_8)))) {
            return new JcaPEMKeyConverter().getKeyPair((PEMKeyPair) parser.readObject()).getPrivate();
        }
    }

    static boolean keyMatches(X509Certificate certificate, PrivateKey key) throws Exception {
        byte[] message = "nestor".getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(message);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(message);
        return verifier.verify(signature);
    }
}
