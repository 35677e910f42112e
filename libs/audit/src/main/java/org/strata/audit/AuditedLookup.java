package org.strata.audit;

import java.lang.reflect.Method;

/** Finds the {@link Audited} rule of a resource method, for the services' audit filters. */
public final class AuditedLookup {
  private AuditedLookup() {}

  /**
   * The method's {@link Audited}, else its class's; null when neither has one, the method is marked
   * {@link Audited.Not}, or there is no method (a request no resource matched).
   */
  public static Audited of(Method method, Class<?> resourceClass) {
    if (method == null || method.isAnnotationPresent(Audited.Not.class)) {
      return null;
    }
    Audited onMethod = method.getAnnotation(Audited.class);
    if (onMethod != null || resourceClass == null) {
      return onMethod;
    }
    return resourceClass.getAnnotation(Audited.class);
  }
}
