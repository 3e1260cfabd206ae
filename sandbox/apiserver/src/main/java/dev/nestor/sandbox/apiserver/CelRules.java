package dev.nestor.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiles and evaluates {@code x-kubernetes-validations} rules with dev.cel. Values are dynamically typed
 * ({@code self}, {@code oldSelf}); the standard macros and the strings, lists, sets and optional libraries are
 * available, which covers every rule in the upstream CRDs. Rules that do not compile are logged once and counted.
 */
final class CelRules {
  private static final Logger LOG = LoggerFactory.getLogger(CelRules.class);
  private static final Pattern OLD_SELF = Pattern.compile("\\boldSelf\\b");
  private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();
  private static final Map<String, Object> COMPILED = new ConcurrentHashMap<>();
  private static final CelOptions OPTIONS = CelOptions.current()
      .enableOptionalSyntax(true)
      .enableHeterogeneousNumericComparisons(true)
      .build();
  private static final Cel CEL = CelFactory.standardCelBuilder()
      .setOptions(OPTIONS)
      .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
      .addVar("self", SimpleType.DYN)
      .addVar("oldSelf", SimpleType.DYN)
      .addCompilerLibraries(CelExtensions.strings(), CelExtensions.lists(), CelExtensions.sets(OPTIONS),
          CelExtensions.optional())
      .addRuntimeLibraries(CelExtensions.strings(), CelExtensions.lists(), CelExtensions.sets(OPTIONS),
          CelExtensions.optional())
      .build();

  /** A compiled rule. */
  record Rule(String expression, String message, CelRuntime.Program program, CelRuntime.Program messageProgram,
      String reason, String fieldPath, boolean transition, boolean optionalOldSelf) {
  }

  private final AtomicInteger found = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final List<String> failures = new ArrayList<>();

  int found() {
    return found.get();
  }

  int compiled() {
    return found.get() - failed.get();
  }

  synchronized List<String> failures() {
    return List.copyOf(failures);
  }

  /** Compiles one rule object; returns null (and counts it) when it cannot be compiled. */
  Rule compile(JsonNode ruleNode) {
    String expr = ruleNode.path("rule").asText("");
    found.incrementAndGet();
    Object program = COMPILED.computeIfAbsent(expr, CelRules::program);
    if (program instanceof String error) {
      failed.incrementAndGet();
      synchronized (this) {
        failures.add(expr + ": " + error);
      }
      if (LOGGED.add(expr)) {
        LOG.warn("CEL rule not enforced, it does not compile: {}: {}", expr, error);
      }
      return null;
    }
    CelRuntime.Program messageProgram = null;
    String messageExpression = ruleNode.path("messageExpression").asText("");
    if (!messageExpression.isEmpty() && COMPILED.computeIfAbsent(messageExpression, CelRules::program)
        instanceof CelRuntime.Program p) {
      messageProgram = p;
    }
    String message = ruleNode.path("message").asText("");
    return new Rule(expr, message.isEmpty() ? "failed rule: " + expr : message, (CelRuntime.Program) program,
        messageProgram, ruleNode.path("reason").asText(""), ruleNode.path("fieldPath").asText(""),
        OLD_SELF.matcher(expr).find(), ruleNode.path("optionalOldSelf").asBoolean(false));
  }

  private static Object program(String expr) {
    try {
      CelAbstractSyntaxTree ast = CEL.compile(expr).getAst();
      return CEL.createProgram(ast);
    } catch (CelValidationException | CelEvaluationException | RuntimeException e) {
      return e.getMessage() == null ? e.toString() : e.getMessage().replace('\n', ' ');
    }
  }

  /**
   * Evaluates a rule; returns null when it holds, else the message to report.
   *
   * @param oldValue the correlated old value, or null on create / when not correlatable
   */
  static String evaluate(Rule rule, JsonNode value, JsonNode oldValue) {
    Map<String, Object> vars = new HashMap<>();
    vars.put("self", toCel(value));
    if (rule.transition()) {
      if (oldValue == null) {
        if (!rule.optionalOldSelf()) {
          return null;
        }
        vars.put("oldSelf", java.util.Optional.empty());
      } else {
        vars.put("oldSelf", rule.optionalOldSelf() ? java.util.Optional.of(toCel(oldValue)) : toCel(oldValue));
      }
    }
    try {
      Object result = rule.program().eval(vars);
      if (Boolean.TRUE.equals(result)) {
        return null;
      }
      if (rule.messageProgram() != null) {
        try {
          Object m = rule.messageProgram().eval(vars);
          if (m instanceof String s && !s.isBlank()) {
            return s;
          }
        } catch (CelEvaluationException e) {
          return rule.message();
        }
      }
      return rule.message();
    } catch (CelEvaluationException e) {
      return "rule evaluation error: " + rule.expression() + ": " + e.getMessage();
    }
  }

  static Object toCel(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return com.google.protobuf.NullValue.NULL_VALUE;
    }
    if (v.isObject()) {
      Map<String, Object> m = new LinkedHashMap<>();
      v.fields().forEachRemaining(e -> m.put(e.getKey(), toCel(e.getValue())));
      return m;
    }
    if (v.isArray()) {
      List<Object> l = new ArrayList<>();
      v.forEach(e -> l.add(toCel(e)));
      return l;
    }
    if (v.isIntegralNumber()) {
      return v.asLong();
    }
    if (v.isNumber()) {
      return v.asDouble();
    }
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    return v.asText();
  }
}
