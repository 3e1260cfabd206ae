package dev.nestor.cluster.validate;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.function.Consumer;

/** A row of the validation table: what it breaks, how, and the field and rule that must be named. */
public record ValidationRow(String description, String name, Consumer<ObjectNode> breakIt, String field, String rule) {
    @Override
    public String toString() {
        return description;
    }
}
