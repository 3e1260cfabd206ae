package dev.nestor.cluster.api;

import dev.nestor.sandbox.testing.TestTokens;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nestor.cluster.TestCatalog;
import dev.nestor.cluster.model.TenantCluster;
import dev.nestor.cluster.validate.SpecValidatorRows;
import dev.nestor.cluster.validate.ValidationRow;
import dev.nestor.sandbox.testing.ApiServerResource;
import dev.nestor.sandbox.testing.KafkaBrokerResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** Every row of the validation table over REST: 422 problem+json naming the field, and nothing created. */
@QuarkusTest
@WithTestResource(ApiServerResource.class)
@WithTestResource(KafkaBrokerResource.class)
class ValidationApiTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyRowIsRefusedAndLeavesNothingBehind() {
        for (ValidationRow row : SpecValidatorRows.ROWS) {
            refusedAndNothingCreated(row);
        }
    }

    void refusedAndNothingCreated(ValidationRow row) {
        List<String> before = clusterNames();
        ObjectNode body = (ObjectNode) JSON.valueToTree(TestCatalog.exampleSpec());
        row.breakIt().accept(body);
        if (row.name() != null) {
            body.put("name", row.name());
        }
        given().auth().oauth2(TestTokens.tenant("acme")).contentType(ContentType.JSON).body(body.toString()).when().post("/api/v1/tenants/acme/clusters")
                    .then().log().ifValidationFails().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("https://nestor.dev/problems/invalid-spec"), "status", equalTo(422),
                        "errors.field", hasItem(row.field()), "errors.rule", hasItem(row.rule()));
        assertThat(clusterNames()).as(row + ": a refused request leaves nothing behind").isEqualTo(before);
    }

    static List<String> clusterNames() {
        try (KubernetesClient client = ApiServerResource.client()) {
            return client.resources(TenantCluster.class).inNamespace("tenant-acme").list().getItems().stream()
                    .map(tc -> tc.getMetadata().getName() + "@" + tc.getMetadata().getResourceVersion()).sorted().toList();
        }
    }
}
