package org.strata.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.strata.platform.Component;

/**
 * Runs the annotated test class against the real embedded platform: the listed components are
 * started once per test JVM (shared with every other test class) and stopped when the JVM's tests
 * end. Test methods and constructors may take a {@link org.strata.platform.Platform} parameter.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(PlatformExtension.class)
public @interface UsesPlatform {
  Component[] value() default {Component.KAFKA, Component.POSTGRES, Component.S3};
}
