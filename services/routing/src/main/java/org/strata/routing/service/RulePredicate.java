package org.strata.routing.service;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.Map;

/**
 * A rule's {@code when}: a CEL expression (cel-java) type-checked against {@link InstanceFacts}'
 * variables when the rule is loaded, so a typo is refused then and not at the first instance.
 */
public final class RulePredicate {
  private static final CelCompiler COMPILER =
      CelCompilerFactory.standardCelCompilerBuilder()
          // has(), all(), exists(), exists_one(), map(), filter()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("tenant", SimpleType.STRING)
          .addVar("callingAe", SimpleType.STRING)
          .addVar("channel", SimpleType.STRING)
          .addVar("modality", SimpleType.STRING)
          .addVar("sopClassUid", SimpleType.STRING)
          .addVar("dicom", MapType.create(SimpleType.STRING, SimpleType.STRING))
          .setResultType(SimpleType.BOOL)
          .build();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

  /** Longest expression accepted: rules are short; a long one is a mistake or an attack. */
  static final int MAX_LENGTH = 4096;

  private final CelRuntime.Program program;

  private RulePredicate(CelRuntime.Program program) {
    this.program = program;
  }

  /**
   * Compiles {@code expression}.
   *
   * @throws IllegalArgumentException with CEL's message (position and cause) when it does not
   *     compile to a boolean
   */
  public static RulePredicate compile(String expression) {
    if (expression == null || expression.isBlank()) {
      throw new IllegalArgumentException("when: missing expression");
    }
    if (expression.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("when: longer than " + MAX_LENGTH + " characters");
    }
    try {
      CelAbstractSyntaxTree ast = COMPILER.compile(expression).getAst();
      return new RulePredicate(RUNTIME.createProgram(ast));
    } catch (CelValidationException e) {
      throw new IllegalArgumentException("when: " + e.getMessage());
    } catch (dev.cel.common.CelException e) {
      throw new IllegalArgumentException("when: " + e.getMessage());
    }
  }

  /**
   * True when the expression holds for these facts. An evaluation error (e.g. {@code
   * dicom.BodyPartExamined} on an instance without it, where {@code has()} was not used) is a
   * non-match: a rule never fires on what it cannot evaluate.
   */
  public boolean test(Map<String, Object> facts) {
    try {
      return Boolean.TRUE.equals(program.eval(facts));
    } catch (CelEvaluationException e) {
      return false;
    }
  }
}
