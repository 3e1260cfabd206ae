/** Mechanisms shared by the Nestor services. */
package dev.nestor.support;
