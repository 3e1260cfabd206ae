/** The event contract shared by every Nestor service. */
package dev.nestor.events;
