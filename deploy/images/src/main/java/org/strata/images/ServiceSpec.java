package org.strata.images;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * A service to put in an image: its name (the directory under {@code services/}) and the port of
 * its DIMSE AE, if it has one. Every service serves HTTP on {@link #HTTP_PORT}.
 */
public record ServiceSpec(String name, OptionalInt dimsePort) {

  /** Quarkus' HTTP port in every image (the local profile's 8081-8083 are for one machine). */
  public static final int HTTP_PORT = 8080;

  public ServiceSpec {
    if (!name.matches("[a-z][a-z0-9-]*")) {
      throw new IllegalArgumentException("not a service name: " + name);
    }
  }

  /** {@code ingest:11112,index,query:11113}: name, and after a colon its DIMSE port. */
  public static List<ServiceSpec> parseList(String list) {
    List<ServiceSpec> specs = new ArrayList<>();
    for (String item : list.split(",")) {
      String[] parts = item.trim().split(":");
      specs.add(
          new ServiceSpec(
              parts[0],
              parts.length > 1 ? OptionalInt.of(Integer.parseInt(parts[1])) : OptionalInt.empty()));
    }
    return specs;
  }

  /** The artifact and image name, e.g. {@code strata-ingest}. */
  public String imageName() {
    return "strata-" + name;
  }
}
