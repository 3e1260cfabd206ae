package dev.nestor.cluster.config;

import dev.nestor.cluster.kubeconfig.KubeconfigMinter;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import org.eclipse.microprofile.config.spi.Converter;

import java.time.Duration;

/** Settings of the kubeconfig endpoint, under the prefix {@code nestor.kubeconfig}. */
@ConfigMapping(prefix = "nestor.kubeconfig")
public interface KubeconfigConfig {

    /**
     * How long a minted kubeconfig's client certificate is valid, and the most a caller's {@code ?ttl=} may ask for;
     * positive and at most 24 h (DESIGN §11), else the service refuses to start.
     */
    @WithDefault("PT8H")
    @WithConverter(TtlConverter.class)
    Duration ttl();

    /** Parses a duration as Quarkus does ({@code PT8H} or {@code 8h}) and refuses one outside (0, 24 h]. */
    final class TtlConverter implements Converter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration ttl = DurationConverter.parseDuration(value);
            if (ttl == null || ttl.isNegative() || ttl.isZero() || ttl.compareTo(KubeconfigMinter.MAX_TTL) > 0) {
                throw new IllegalArgumentException("nestor.kubeconfig.ttl=" + value
                        + " is not allowed: a minted kubeconfig lives more than 0 and at most 24 h (PT24H)");
            }
            return ttl;
        }
    }
}
