package org.strata.servicekit.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Bearer tokens already validated by the OIDC mechanism, with the identity they gave, until the
 * token expires (ADR 0069). A viewer sends the same token with hundreds of requests; checking its
 * RS256 signature and building its identity again for each cost about 1.7 ms of CPU per request
 * ({@code make bench auth}). The key is the exact token text, so a token changed in any byte (a
 * forged signature among them) is a miss and goes to OIDC; an entry is never used at or after the
 * token's {@code exp} (plus OIDC's configured lifespan grace), nor past {@code iat} plus the
 * configured maximum token age. At most {@code strata.auth.token-cache.max-entries} tokens are kept
 * (least recently used dropped first); 0 turns the cache off.
 */
@ApplicationScoped
public class VerifiedTokenCache {
  /** The identity attribute holding the request's RoutingContext, set by quarkus-oidc. */
  static final String ROUTING_CONTEXT = "io.vertx.ext.web.RoutingContext";

  private record Kept(SecurityIdentity identity, Instant usableUntil) {}

  private final int maxEntries;
  private final Duration grace;
  private final Optional<Duration> maxAge;
  private final Clock clock;
  private final Map<String, Kept> entries;
  private final Counter hits;
  private final Counter misses;

  @Inject
  VerifiedTokenCache(
      @ConfigProperty(name = "strata.auth.token-cache.max-entries", defaultValue = "10000")
          int maxEntries,
      @ConfigProperty(name = "quarkus.oidc.token.lifespan-grace") Optional<Integer> graceSeconds,
      @ConfigProperty(name = "quarkus.oidc.token.age") Optional<Duration> maxAge,
      MeterRegistry meters) {
    this(
        maxEntries,
        Duration.ofSeconds(graceSeconds.orElse(0)),
        maxAge,
        Clock.systemUTC(),
        Counter.builder("strata.auth.token.cache")
            .tag("result", "hit")
            .description("Requests whose bearer token was found already validated")
            .register(meters),
        Counter.builder("strata.auth.token.cache")
            .tag("result", "miss")
            .description("Requests whose bearer token went to OIDC validation")
            .register(meters));
  }

  VerifiedTokenCache(
      int maxEntries,
      Duration grace,
      Optional<Duration> maxAge,
      Clock clock,
      Counter hits,
      Counter misses) {
    this.maxEntries = Math.max(0, maxEntries);
    this.grace = grace;
    this.maxAge = maxAge;
    this.clock = clock;
    this.hits = hits;
    this.misses = misses;
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Kept> eldest) {
            return size() > VerifiedTokenCache.this.maxEntries;
          }
        };
  }

  /** The identity {@code token} gave when it was validated, if it is cached and still usable. */
  public Optional<SecurityIdentity> find(String token) {
    if (maxEntries == 0 || token == null) {
      return Optional.empty();
    }
    Kept entry;
    synchronized (entries) {
      entry = entries.get(token);
      if (entry != null && !clock.instant().isBefore(entry.usableUntil())) {
        entries.remove(token);
        entry = null;
      }
    }
    (entry == null ? misses : hits).increment();
    return entry == null ? Optional.empty() : Optional.of(entry.identity());
  }

  /**
   * Keeps the identity OIDC made for {@code token}, whose claims say {@code expiresAt} and {@code
   * issuedAt} (epoch seconds; 0 when absent). A token without an expiry is not kept.
   */
  public void put(String token, SecurityIdentity identity, long expiresAt, long issuedAt) {
    if (maxEntries == 0 || token == null || expiresAt <= 0) {
      return;
    }
    Instant until = Instant.ofEpochSecond(expiresAt).plus(grace);
    if (maxAge.isPresent() && issuedAt > 0) {
      Instant aged = Instant.ofEpochSecond(issuedAt).plus(maxAge.get());
      until = aged.isBefore(until) ? aged : until;
    }
    if (!clock.instant().isBefore(until)) {
      return;
    }
    // Keep no reference to the first request's context: each use gets its own (see withContext).
    SecurityIdentity kept =
        identity.getAttribute(ROUTING_CONTEXT) == null
            ? identity
            : QuarkusSecurityIdentity.builder(identity).addAttribute(ROUTING_CONTEXT, "").build();
    synchronized (entries) {
      entries.put(token, new Kept(kept, until));
    }
  }

  /** How many tokens are kept now. */
  public int size() {
    synchronized (entries) {
      return entries.size();
    }
  }
}
