package org.strata.tiering.rest;

import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.strata.tiering.service.PolicyEvaluator.Preview;
import org.strata.tiering.service.PolicyFile;
import org.strata.tiering.service.TierPrices;

/**
 * A policy's dry-run as the admin API answers it: the policy, what it selects, and per tier the
 * objects and bytes that would leave it ({@code from}) or arrive ({@code to}) with their estimated
 * monthly cost there ({@code monthlyCost}, null for a tier without a configured price).
 */
@ApplicationScoped
public class PolicyPreviews {
  private final TierPrices prices;

  public PolicyPreviews(TierPrices prices) {
    this.prices = prices;
  }

  public Map<String, Object> describe(Preview p) {
    Map<String, Object> m = PolicyFile.describe(p.policy());
    m.put("studyCount", p.studyCount());
    m.put("instances", p.instances());
    m.put("bytesByTier", p.bytesByTier());
    Map<String, Object> from = new LinkedHashMap<>();
    p.bytesByTier()
        .forEach(
            (tier, bytes) ->
                from.put(tier, tier(p.objectsByTier().getOrDefault(tier, 0L), bytes, tier)));
    Map<String, Object> to = new LinkedHashMap<>();
    String target = p.policy().toTier();
    to.put(target, tier(p.instances(), p.bytes(), target));
    m.put("from", from);
    m.put("to", to);
    m.put("currency", prices.currency());
    m.put("monthlyCostNow", sum(from));
    m.put("monthlyCostAfter", sum(to));
    m.put("studies", p.studies());
    return m;
  }

  private Map<String, Object> tier(long objects, long bytes, String tier) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("objects", objects);
    m.put("bytes", bytes);
    m.put("monthlyCost", prices.monthly(tier, bytes));
    return m;
  }

  /** The total of the tiers' costs, or null when a tier with bytes has no price. */
  @SuppressWarnings("unchecked")
  private static BigDecimal sum(Map<String, Object> tiers) {
    BigDecimal total = BigDecimal.ZERO;
    for (Object t : tiers.values()) {
      Map<String, Object> m = (Map<String, Object>) t;
      BigDecimal cost = (BigDecimal) m.get("monthlyCost");
      if (cost == null) {
        return null;
      }
      total = total.add(cost);
    }
    return total;
  }
}
