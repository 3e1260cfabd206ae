/**
 * csi-bridge: storage, load-balancer and node proxying between tenant clusters and the management cluster
 * (DESIGN §8), from one multi-tenant process.
 */
package dev.nestor.bridge;
