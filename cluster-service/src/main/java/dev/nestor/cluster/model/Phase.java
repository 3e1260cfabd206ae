package dev.nestor.cluster.model;

/** Lifecycle phases, in DESIGN §5.1's precedence order (highest first). */
public enum Phase {
    Deleting, Failed, Upgrading, Degraded, Scaling, Ready, ControlPlaneReady, Provisioning, Pending, Deleted
}
