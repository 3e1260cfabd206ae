package dev.nestor.sandbox.testing;

import java.util.logging.Level;
import java.util.logging.Logger;

/** Keeps the Kafka clients' INFO output (a configuration dump per client) out of the test log. */
final class QuietKafkaLogs {

    // A strong reference: the log manager forgets the level of a logger nobody holds.
    private static final Logger KAFKA = Logger.getLogger("org.apache.kafka");

    static {
        KAFKA.setLevel(Level.WARNING);
    }

    private QuietKafkaLogs() {
    }

    static void apply() {
        // Loading the class applies the level.
    }
}
