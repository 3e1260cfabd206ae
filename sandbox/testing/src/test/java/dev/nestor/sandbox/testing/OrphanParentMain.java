package dev.nestor.sandbox.testing;

import java.nio.file.Path;

/** A parent process for {@link BrokerOrphanTest}: starts a broker, prints its pid, then waits to be killed. */
public final class OrphanParentMain {

    private OrphanParentMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        KafkaBroker broker = KafkaBroker.start(0, Path.of(args[0]));
        System.out.println("broker-pid " + broker.pid());
        System.out.flush();
        Thread.currentThread().join();
    }
}
