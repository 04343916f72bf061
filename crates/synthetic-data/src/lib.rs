//! Synthetic data for annotation-engine: the demo genome built from
//! `assets/demo/genes.toml` ([`demo`]) and large benchmark inputs
//! ([`bench`]). Everything is derived from fixed seeds, so outputs are
//! byte-identical on every run.

pub mod bench;
pub mod demo;
pub mod fasta;
pub mod rng;
