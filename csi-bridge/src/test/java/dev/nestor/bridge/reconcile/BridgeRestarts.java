package dev.nestor.bridge.reconcile;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ClientProxy;

/** Stops and starts the csi-bridge replica of the application under test, as a crash and a restart would. */
public final class BridgeRestarts {

    private BridgeRestarts() {
    }

    /** Closes the replica: its feed leaves the consumer group, its caches and tenant connections close. */
    public static void stop() {
        runtime().stop(null);
    }

    /** Starts a new replica, which rebuilds everything from the state topic and the APIs. */
    public static void start() {
        runtime().start(null);
    }

    private static BridgeRuntime runtime() {
        return ClientProxy.unwrap(Arc.container().instance(BridgeRuntime.class).get());
    }
}
