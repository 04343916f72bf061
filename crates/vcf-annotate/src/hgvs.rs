//! HGVS notation (g., c., n., p.) for an allele on a transcript.
