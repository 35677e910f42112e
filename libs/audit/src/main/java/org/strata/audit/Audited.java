package org.strata.audit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an HTTP resource class or method whose every call is recorded by the service's audit
 * filter: the kind and channel come from here, the caller from {@code CurrentCaller}, the outcome
 * from the response status, the study from {@link #studyParam} (a path or query parameter), and
 * anything else the endpoint alone knows (e.g. the studies a query returned) from the request's
 * {@code AuditedAccess}. A method's annotation wins over its class's.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface Audited {
  AccessKind kind();

  /** One of {@link org.strata.events.AuditRecord.Channels}. */
  String channel();

  /** The path or query parameter naming the study, if the request names one. */
  String studyParam() default "study";

  /** Marks a method of an audited class that touches no patient data (e.g. a capability). */
  @Target(ElementType.METHOD)
  @Retention(RetentionPolicy.RUNTIME)
  @interface Not {}
}
