package org.strata.servicekit.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VerifiedTokenCacheTest {
  private static final long NOW = 1_800_000_000L;

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final Counter hits = meters.counter("hits");
  private final Counter misses = meters.counter("misses");
  private final MutableClock clock = new MutableClock(Instant.ofEpochSecond(NOW));

  @Test
  void aTokenIsFoundUntilItExpiresAndNotFromThen() {
    VerifiedTokenCache cache = cache(10, Duration.ZERO, Optional.empty());
    SecurityIdentity identity = identity("reader-a");
    cache.put("token-a", identity, NOW + 60, NOW);

    assertSame(identity, cache.find("token-a").orElseThrow());
    clock.now = Instant.ofEpochSecond(NOW + 59);
    assertTrue(cache.find("token-a").isPresent());
    clock.now = Instant.ofEpochSecond(NOW + 60);
    assertTrue(cache.find("token-a").isEmpty(), "used at its exp");
    assertEquals(0, cache.size(), "an expired entry is dropped when met");
    assertEquals(2, hits.count());
    assertEquals(1, misses.count());
  }

  @Test
  void onlyTheExactTokenMatches() {
    VerifiedTokenCache cache = cache(10, Duration.ZERO, Optional.empty());
    cache.put("header.payload.signature", identity("reader-a"), NOW + 60, NOW);
    assertTrue(cache.find("header.payload.signaturf").isEmpty());
    assertTrue(cache.find("header.payload.signature ").isEmpty());
    assertTrue(cache.find(null).isEmpty());
  }

  @Test
  void graceAndMaximumAgeMoveTheEndAsOidcWould() {
    VerifiedTokenCache graced = cache(10, Duration.ofSeconds(30), Optional.empty());
    graced.put("t", identity("a"), NOW + 10, NOW);
    clock.now = Instant.ofEpochSecond(NOW + 39);
    assertTrue(graced.find("t").isPresent(), "exp + lifespan grace");

    clock.now = Instant.ofEpochSecond(NOW);
    VerifiedTokenCache aged = cache(10, Duration.ZERO, Optional.of(Duration.ofSeconds(20)));
    aged.put("t", identity("a"), NOW + 300, NOW - 5);
    clock.now = Instant.ofEpochSecond(NOW + 15);
    assertTrue(aged.find("t").isEmpty(), "iat + token age came first");
  }

  @Test
  void tokensWithoutExpiryOrAlreadyExpiredAreNotKept() {
    VerifiedTokenCache cache = cache(10, Duration.ZERO, Optional.empty());
    cache.put("no-exp", identity("a"), 0, NOW);
    cache.put("expired", identity("a"), NOW - 1, NOW - 100);
    assertEquals(0, cache.size());
  }

  @Test
  void theLeastRecentlyUsedTokenGoesFirstAndZeroTurnsTheCacheOff() {
    VerifiedTokenCache cache = cache(2, Duration.ZERO, Optional.empty());
    cache.put("one", identity("a"), NOW + 60, NOW);
    cache.put("two", identity("b"), NOW + 60, NOW);
    cache.find("one");
    cache.put("three", identity("c"), NOW + 60, NOW);
    assertTrue(cache.find("one").isPresent());
    assertTrue(cache.find("two").isEmpty());
    assertTrue(cache.find("three").isPresent());

    VerifiedTokenCache off = cache(0, Duration.ZERO, Optional.empty());
    off.put("one", identity("a"), NOW + 60, NOW);
    assertTrue(off.find("one").isEmpty());
  }

  @Test
  void theFirstRequestsContextIsNotKept() {
    VerifiedTokenCache cache = cache(10, Duration.ZERO, Optional.empty());
    Object firstRequest = new Object();
    cache.put(
        "t",
        QuarkusSecurityIdentity.builder(identity("a"))
            .addAttribute(VerifiedTokenCache.ROUTING_CONTEXT, firstRequest)
            .build(),
        NOW + 60,
        NOW);
    SecurityIdentity kept = cache.find("t").orElseThrow();
    assertEquals("", kept.getAttribute(VerifiedTokenCache.ROUTING_CONTEXT));
    assertEquals("a", kept.getPrincipal().getName());
    assertTrue(kept.hasRole("strata-reader"));
  }

  @Test
  void aBearerHeaderGivesItsToken() {
    assertEquals("abc.def.ghi", CachedTokenMechanism.bearerToken("Bearer abc.def.ghi"));
    assertEquals("abc", CachedTokenMechanism.bearerToken("bearer  abc "));
    assertNull(CachedTokenMechanism.bearerToken("Basic dXNlcjpwdw=="));
    assertNull(CachedTokenMechanism.bearerToken("Bearer "));
    assertNull(CachedTokenMechanism.bearerToken(null));
  }

  private VerifiedTokenCache cache(int max, Duration grace, Optional<Duration> age) {
    return new VerifiedTokenCache(max, grace, age, clock, hits, misses);
  }

  private static SecurityIdentity identity(String name) {
    return QuarkusSecurityIdentity.builder()
        .setPrincipal(new QuarkusPrincipal(name))
        .addRole("strata-reader")
        .build();
  }

  private static final class MutableClock extends Clock {
    Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
