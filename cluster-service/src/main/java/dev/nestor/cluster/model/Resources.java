package dev.nestor.cluster.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** Explicit VM size, the alternative to an instance type. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class Resources {
    public String cpu;
    public String memory;

    public Resources() {
    }

    public Resources(String cpu, String memory) {
        this.cpu = cpu;
        this.memory = memory;
    }
}
