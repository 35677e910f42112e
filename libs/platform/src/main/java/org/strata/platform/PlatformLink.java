package org.strata.platform;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

/**
 * One platform for a whole JVM, even where several class loaders each have their own copy of these
 * classes (every Quarkus test profile is a new class loader). The platform that started the servers
 * publishes a link made only of JDK types, which every class loader shares; a platform in another
 * class loader {@link #attach attaches} to it: it computes addresses and clients from the same
 * resolved configuration and asks the owner to start, stop or kill servers.
 */
public final class PlatformLink {
  private static final String CONFIG = "config";
  private static final String STARTED = "started";
  private static final String ENSURE_STARTED = "ensureStarted";
  private static final String STOP = "stop";
  private static final String SERVER_PROCESS = "serverProcess";
  private static final String RESTARTS = "restarts";
  private static final String STARTUP_TIMES = "startupTimes";
  private static final String RESIDENT_BYTES = "residentBytes";

  private PlatformLink() {}

  /**
   * The link to {@code platform}. Each operation runs with the owner's class loader as the context
   * class loader, so libraries that load classes by name (Kafka's clients) stay in one class
   * loader.
   */
  public static Map<String, Object> of(Platform platform) {
    Map<String, Object> link = new LinkedHashMap<>();
    link.put(CONFIG, toMap(platform.config()));
    link.put(
        STARTED,
        (Supplier<Set<String>>)
            () ->
                inOwner(
                    () ->
                        EnumSet.allOf(Component.class).stream()
                            .filter(platform::isStarted)
                            .map(Component::name)
                            .collect(Collectors.toUnmodifiableSet())));
    link.put(
        ENSURE_STARTED,
        (Consumer<Set<String>>)
            names ->
                inOwner(
                    () -> {
                      platform.ensureStarted(components(names));
                      return null;
                    }));
    link.put(
        STOP,
        (Consumer<String>)
            name ->
                inOwner(
                    () -> {
                      platform.stop(Component.valueOf(name));
                      return null;
                    }));
    link.put(
        SERVER_PROCESS,
        (Function<String, Optional<ProcessHandle>>)
            name -> inOwner(() -> platform.serverProcess(Component.valueOf(name))));
    link.put(
        RESTARTS,
        (ToIntFunction<String>) name -> inOwner(() -> platform.restarts(Component.valueOf(name))));
    link.put(
        STARTUP_TIMES, (Supplier<Map<String, Duration>>) () -> inOwner(platform::startupTimes));
    link.put(RESIDENT_BYTES, (Supplier<Map<String, Long>>) () -> inOwner(platform::residentBytes));
    return Map.copyOf(link);
  }

  /** A platform on the servers of the platform behind {@code link} (made by {@link #of}). */
  @SuppressWarnings("unchecked")
  public static Platform attach(Map<?, ?> link) {
    registerJdbcDriver();
    PlatformConfig config = fromMap((Map<String, Object>) link.get(CONFIG));
    Supplier<Set<String>> started = (Supplier<Set<String>>) link.get(STARTED);
    Consumer<Set<String>> ensureStarted = (Consumer<Set<String>>) link.get(ENSURE_STARTED);
    Consumer<String> stop = (Consumer<String>) link.get(STOP);
    Function<String, Optional<ProcessHandle>> serverProcess =
        (Function<String, Optional<ProcessHandle>>) link.get(SERVER_PROCESS);
    ToIntFunction<String> restarts = (ToIntFunction<String>) link.get(RESTARTS);
    Supplier<Map<String, Duration>> startupTimes =
        (Supplier<Map<String, Duration>>) link.get(STARTUP_TIMES);
    Supplier<Map<String, Long>> residentBytes =
        (Supplier<Map<String, Long>>) link.get(RESIDENT_BYTES);
    return new Platform(
        config,
        new Platform.Owner() {
          @Override
          public Set<Component> started() {
            return components(started.get());
          }

          @Override
          public void ensureStarted(Set<Component> components) {
            ensureStarted.accept(names(components));
          }

          @Override
          public void stop(Component component) {
            stop.accept(component.name());
          }

          @Override
          public Optional<ProcessHandle> serverProcess(Component component) {
            return serverProcess.apply(component.name());
          }

          @Override
          public int restarts(Component component) {
            return restarts.applyAsInt(component.name());
          }

          @Override
          public Map<String, Duration> startupTimes() {
            return startupTimes.get();
          }

          @Override
          public Map<String, Long> residentBytes() {
            return residentBytes.get();
          }
        });
  }

  /**
   * DriverManager hands a connection only to a driver that the caller's class loader sees as its
   * own class. The owner's start registered the owner's copy; a platform that starts PostgreSQL
   * itself registers its class loader's copy on the way, so an attached one does it here.
   */
  private static void registerJdbcDriver() {
    try {
      Class.forName("org.postgresql.Driver", true, PlatformLink.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      // no JDBC driver on this class path: nothing there can ask DriverManager for PostgreSQL
    }
  }

  private static <T> T inOwner(Supplier<T> operation) {
    Thread thread = Thread.currentThread();
    ClassLoader caller = thread.getContextClassLoader();
    thread.setContextClassLoader(PlatformLink.class.getClassLoader());
    try {
      return operation.get();
    } finally {
      thread.setContextClassLoader(caller);
    }
  }

  private static Set<String> names(Set<Component> components) {
    return components.stream().map(Component::name).collect(Collectors.toUnmodifiableSet());
  }

  /** The configuration in JDK types: paths as strings, components as their names. */
  static Map<String, Object> toMap(PlatformConfig config) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (RecordComponent component : PlatformConfig.class.getRecordComponents()) {
      Object value = read(component, config);
      if (value != null) {
        map.put(component.getName(), toJdk(value));
      }
    }
    return Map.copyOf(map);
  }

  private static Object toJdk(Object value) {
    if (value instanceof Path path) {
      return path.toString();
    } else if (value instanceof Set<?> set) {
      return names(components(set));
    }
    return value;
  }

  static PlatformConfig fromMap(Map<String, Object> map) {
    RecordComponent[] components = PlatformConfig.class.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    Object[] values = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      values[i] = fromJdk(types[i], map.get(components[i].getName()));
    }
    try {
      return PlatformConfig.class.getDeclaredConstructor(types).newInstance(values);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("platform link has an unreadable configuration", e);
    }
  }

  private static Object fromJdk(Class<?> type, Object value) {
    if (value == null) {
      return null;
    } else if (type == Path.class) {
      return Path.of((String) value);
    } else if (type == Set.class) {
      return components((Set<?>) value);
    } else if (type == List.class) {
      return List.copyOf((List<?>) value);
    }
    return value;
  }

  private static Set<Component> components(Set<?> values) {
    return values.stream()
        .map(v -> v instanceof Component c ? c : Component.valueOf(String.valueOf(v)))
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(Component.class)));
  }

  private static Object read(RecordComponent component, PlatformConfig config) {
    try {
      return component.getAccessor().invoke(config);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read " + component.getName(), e);
    }
  }
}
