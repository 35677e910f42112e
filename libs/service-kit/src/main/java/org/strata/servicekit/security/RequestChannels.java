package org.strata.servicekit.security;

/**
 * The audit channel of a request path (STOW-RS, QIDO-RS, WADO-RS, FHIR, admin API, ...), for
 * records made before a resource is matched: refused sign-ins and hostile request targets. A
 * service with more than admin APIs provides its own bean; otherwise {@link AdminApiChannels}.
 */
public interface RequestChannels {
  String of(String path);
}
