//! HGVS parsing and validation (grammar of the HGVS nomenclature).
