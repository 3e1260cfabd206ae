/** csi-bridge: a minimal service in this slice; its reconcilers arrive with its own issue. */
package dev.nestor.bridge;
