package org.strata.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.strata.events.Topics;
import org.strata.platform.Component;
import org.strata.platform.Platform;

/**
 * A second copy of the testkit, as each Quarkus test profile loads it, uses the servers of the
 * JVM's platform instead of starting its own, and what it asks for starts on that platform.
 */
@UsesPlatform(Component.S3)
class SharedPlatformAcrossClassLoadersTest {

  @Test
  void aCopyInAnotherClassLoaderAttachesToTheSystemClassLoadersPlatform(Platform platform)
      throws Exception {
    try (ChildFirst copy = new ChildFirst()) {
      Class<?> sharedCopy = copy.loadClass(SharedPlatform.class.getName());
      assertNotSame(SharedPlatform.class, sharedCopy, "the copy must be a second class");

      Object attached = require(copy, sharedCopy, "S3", "S3_COLD");

      assertEquals(platform.s3Endpoint(), call(attached, "s3Endpoint"));
      assertTrue(platform.isStarted(Component.S3_COLD), "the copy's demand starts on the owner");
      assertEquals(platform.s3ColdEndpoint(), call(attached, "s3ColdEndpoint"));
      assertEquals(platform.addresses(), call(attached, "addresses"));
    }
  }

  private static Object require(ClassLoader copy, Class<?> sharedCopy, String... components)
      throws Exception {
    @SuppressWarnings({"unchecked", "rawtypes"})
    Class<Enum> component = (Class<Enum>) copy.loadClass(Component.class.getName());
    Set<Object> wanted = new java.util.HashSet<>();
    for (String name : components) {
      wanted.add(Enum.valueOf(component, name));
    }
    return sharedCopy.getMethod("require", Set.class).invoke(null, wanted);
  }

  private static Object call(Object target, String method) throws Exception {
    Method m = target.getClass().getMethod(method);
    return m.invoke(target);
  }

  /**
   * Loads Strata's own classes itself, as Quarkus' class loaders do; everything else from above.
   */
  private static final class ChildFirst extends URLClassLoader {
    ChildFirst() {
      super(
          new URL[] {
            location(SharedPlatform.class), location(Platform.class), location(Topics.class)
          },
          ChildFirst.class.getClassLoader());
    }

    private static URL location(Class<?> type) {
      return type.getProtectionDomain().getCodeSource().getLocation();
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.startsWith("org.strata.")) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> loaded = findLoadedClass(name);
        if (loaded == null) {
          try {
            loaded = findClass(name);
          } catch (ClassNotFoundException e) {
            loaded = super.loadClass(name, false);
          }
        }
        if (resolve) {
          resolveClass(loaded);
        }
        return loaded;
      }
    }
  }
}
