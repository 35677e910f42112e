package org.strata.testkit;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.strata.platform.Component;
import org.strata.platform.Platform;

/** Starts what a {@link UsesPlatform} test class needs and injects the {@link Platform}. */
public final class PlatformExtension implements BeforeAllCallback, ParameterResolver {

  @Override
  public void beforeAll(ExtensionContext context) {
    SharedPlatform.require(components(context));
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Platform.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return SharedPlatform.require(components(context));
  }

  private static Set<Component> components(ExtensionContext context) {
    Set<Component> components = EnumSet.noneOf(Component.class);
    context
        .getTestClass()
        .flatMap(c -> AnnotationSupport.findAnnotation(c, UsesPlatform.class))
        .ifPresent(a -> components.addAll(List.of(a.value())));
    return components;
  }
}
