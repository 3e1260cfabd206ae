package dev.nestor.cluster.validate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nestor.cluster.TestCatalog;
import dev.nestor.cluster.model.TenantClusterSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The validation table: each row breaks exactly one rule of DESIGN §3 and names its field. */
class SpecValidatorTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final SpecValidator validator = new SpecValidator(TestCatalog.CATALOG);

    static Stream<ValidationRow> rows() {
        return SpecValidatorRows.ROWS.stream();
    }

    @Test
    void theExampleIsValid() {
        TenantClusterSpec spec = SpecDefaults.apply(TestCatalog.exampleSpec());
        assertThat(validator.validate("demo", TestCatalog.CATALOG.policyFor("acme"), spec)).isEmpty();
    }

    @Test
    void theTableCoversAtLeastThirtyDistinctRules() {
        assertThat(SpecValidatorRows.ROWS.stream().map(ValidationRow::rule).distinct().count()).isGreaterThanOrEqualTo(30);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void eachRuleIsReportedOnItsField(ValidationRow row) {
        ObjectNode body = (ObjectNode) JSON.valueToTree(TestCatalog.exampleSpec());
        row.breakIt().accept(body);
        TenantClusterSpec spec = SpecDefaults.apply(JSON.convertValue(body, TenantClusterSpec.class));
        List<Violation> violations = validator.validate(row.name(), TestCatalog.CATALOG.policyFor("acme"), spec);
        assertThat(violations).as(row.description())
                .anySatisfy(v -> {
                    assertThat(v.rule()).isEqualTo(row.rule());
                    assertThat(v.field()).isEqualTo(row.field());
                    assertThat(v.message()).isNotBlank();
                });
    }
}
