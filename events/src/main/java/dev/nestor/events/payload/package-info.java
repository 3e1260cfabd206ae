/**
 * Event payloads, one record per JSON Schema in {@code schemas/<payload>/v1.json}. Records reject missing
 * required fields in their constructors; optional fields are {@code null} and left out of the JSON.
 */
package dev.nestor.events.payload;
