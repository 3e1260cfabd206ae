package dev.nestor.addon.api;

import dev.nestor.addon.catalog.AddonCatalog;
import dev.nestor.addon.catalog.CatalogEntry;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** {@code GET /api/v1/addons}: the add-on catalog, for any authenticated caller. */
@Path("/api/v1/addons")
@Authenticated
public class CatalogResource {

    @Inject
    AddonCatalog catalog;

    /** The catalog's answer. */
    public record CatalogView(List<CatalogEntry> items) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public CatalogView list() {
        return new CatalogView(List.copyOf(catalog.entries()));
    }
}
