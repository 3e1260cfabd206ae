/**
 * autoscaler-bridge (DESIGN §7): one cluster-autoscaler per autoscaled tenant cluster, running in the management
 * cluster next to the cluster's objects, with a least-privilege identity in each cluster. Layers: {@code render}
 * (pure), {@code apply} (the only API writes), {@code reconcile} (the loop), {@code messaging}, {@code api}.
 */
package dev.nestor.autoscaler;
