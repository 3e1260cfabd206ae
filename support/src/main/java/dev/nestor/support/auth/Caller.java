package dev.nestor.support.auth;

import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who sends the request, as its verified bearer JWT says (DESIGN §11): claim {@code tenant} names the one tenant it
 * may act on; {@code groups} containing {@value #ADMIN_GROUP} acts on every tenant.
 *
 * <p>The token is looked up lazily, so a service without SmallRye JWT (one with no tenant REST) still starts with
 * this library on its class path; there, nobody may act on anything.
 */
@RequestScoped
public class Caller {
    /** The group of platform administrators. */
    public static final String ADMIN_GROUP = "nestor-admin";
    /** The claim naming the caller's tenant. */
    public static final String TENANT_CLAIM = "tenant";

    @Inject
    Instance<JsonWebToken> token;

    public boolean isAdmin() {
        if (!token.isResolvable()) {
            return false;
        }
        var groups = token.get().getGroups();
        return groups != null && groups.contains(ADMIN_GROUP);
    }

    /** Whether the caller may see and change the tenant's clusters; false when nobody is authenticated. */
    public boolean mayActOn(String tenant) {
        return isAdmin() || tenant != null && token.isResolvable()
                && tenant.equals(token.get().getClaim(TENANT_CLAIM));
    }
}
