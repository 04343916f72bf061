//! rule-tier: clinical classification of annotated variants from versioned
//! rules files.
//!
//! - [`rules`]: the rules files (`conf/rules/*.toml`) and their validation;
//! - [`ontology`]: the OncoTree ↔ DOID tumour-type mapping;
//! - [`facts`]: what the rules test about a variant;
//! - [`amp`], [`oncogenicity`], [`acmg`]: the three schemes, the last two
//!   applying their criteria through [`criteria`];
//! - [`classify`]: one variant → one `Classification` with its trace;
//! - [`summary`]: per-sample counts and TMB;
//! - [`explain`]: the readable trace;
//! - [`pipeline`]: the streaming JSON Lines run behind the CLI.

pub mod acmg;
pub mod amp;
pub mod classify;
pub mod cli;
pub mod criteria;
pub mod explain;
pub mod facts;
pub mod germline;
pub mod oncogenicity;
pub mod ontology;
pub mod pipeline;
pub mod rules;
pub mod summary;

pub use classify::{Classifier, SampleContext, SampleType};
pub use ontology::Ontology;
pub use rules::RuleSet;
