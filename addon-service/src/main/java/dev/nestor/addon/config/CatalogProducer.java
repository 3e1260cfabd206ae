package dev.nestor.addon.config;

import dev.nestor.addon.catalog.AddonCatalog;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/** The catalog shipped in the service (loaded and checked once, at startup) and the clock. */
public class CatalogProducer {

    @Produces
    @Singleton
    AddonCatalog catalog() {
        return AddonCatalog.load();
    }

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
