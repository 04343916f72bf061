//! The picked transcript: one consequence per allele flagged by a
//! documented, configurable order of criteria, like VEP's `--flag_pick`.
