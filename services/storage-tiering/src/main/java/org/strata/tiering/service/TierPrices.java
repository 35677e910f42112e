package org.strata.tiering.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import org.strata.tiering.config.TieringConfig;

/**
 * The configured price of a GB-month per tier ({@code strata.tiering.policies.price-per-gb-month.
 * NAME}), for the dry-run's estimate of what the selected data costs a month where it is and where
 * a policy would put it. A GB is 2^30 bytes, as S3 bills it; requests and retrievals are not
 * counted.
 */
@ApplicationScoped
public class TierPrices {
  private static final BigDecimal GB = BigDecimal.valueOf(1L << 30);

  private final Map<String, BigDecimal> perGbMonth;
  private final String currency;

  public TierPrices(TieringConfig config) {
    Map<String, BigDecimal> prices = new java.util.HashMap<>();
    config
        .policies()
        .pricePerGbMonth()
        .forEach(
            (tier, price) -> {
              try {
                BigDecimal p = new BigDecimal(price.trim());
                if (p.signum() < 0) {
                  throw new NumberFormatException();
                }
                prices.put(tier, p);
              } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                    "strata.tiering.policies.price-per-gb-month." + tier + ": not a price");
              }
            });
    this.perGbMonth = Map.copyOf(prices);
    this.currency = config.policies().currency();
  }

  public String currency() {
    return currency;
  }

  /** What {@code bytes} cost a month on the tier, to the cent's hundredth; null without a price. */
  public BigDecimal monthly(String tier, long bytes) {
    BigDecimal price = perGbMonth.get(tier);
    if (price == null) {
      return null;
    }
    return price.multiply(BigDecimal.valueOf(bytes)).divide(GB, 4, RoundingMode.HALF_UP);
  }
}
