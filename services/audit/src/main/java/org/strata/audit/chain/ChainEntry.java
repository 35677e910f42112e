package org.strata.audit.chain;

/**
 * One record of the chain as a verifier reads it.
 *
 * @param seq its position (1 for the first record)
 * @param digest its stored digest
 * @param hash its stored chain hash
 * @param canonical its canonical form, or {@code null} where an export left the record out (a
 *     tenant the reader may not see): then only the chain over digests is checked
 * @param inconsistency why the stored copies of its fields (the searchable columns) disagree with
 *     its canonical form, or {@code null}
 */
public record ChainEntry(
    long seq, byte[] digest, byte[] hash, byte[] canonical, String inconsistency) {}
