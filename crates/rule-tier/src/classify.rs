//! One variant in, one [`Classification`] out: the schemes that apply to
//! the sample type, each with its rule trace.

use std::fmt;
use std::str::FromStr;

use variant_model::VariantRecord;
use variant_model::classification::Classification;

use crate::acmg::{self, AcmgContext};
use crate::amp::{self, AmpContext};
use crate::facts::VariantFacts;
use crate::germline::{self, TumourOnlyMode, is_tumour_only};
use crate::oncogenicity::{self, OncogenicityContext};
use crate::ontology::Ontology;
use crate::rules::RuleSet;

/// Somatic samples get AMP tiers and oncogenicity; germline samples get
/// ACMG/AMP classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SampleType {
    Somatic,
    Germline,
}

impl FromStr for SampleType {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "somatic" => Ok(SampleType::Somatic),
            "germline" => Ok(SampleType::Germline),
            other => Err(format!(
                "sample type `{other}`: expected somatic or germline"
            )),
        }
    }
}

impl fmt::Display for SampleType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SampleType::Somatic => "somatic",
            SampleType::Germline => "germline",
        })
    }
}

/// The sample the variants come from.
#[derive(Debug, Clone)]
pub struct SampleContext {
    pub sample_type: SampleType,
    /// OncoTree code; required for somatic samples.
    pub tumour_type: Option<String>,
    /// True when a missing population record means the variant is absent
    /// from the population databases (the stream was looked up against a
    /// bundle with gnomAD).
    pub population_looked_up: bool,
    /// Which variants of a somatic sample are screened as tumour-only for
    /// likely germline origin.
    pub tumour_only: TumourOnlyMode,
}

/// Classifies variants of one sample with one rule set.
pub struct Classifier<'a> {
    pub rules: &'a RuleSet,
    pub ontology: Option<&'a Ontology>,
    pub sample: SampleContext,
}

/// A classifier cannot work with the sample it was given.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("a somatic sample needs a tumour type (OncoTree code)")]
    NoTumourType,
    #[error("a somatic sample needs the tumour-type ontology mapping")]
    NoOntology,
    #[error("tumour type `{0}` is not an OncoTree code of the ontology mapping {1}")]
    UnknownTumourType(String, String),
}

impl<'a> Classifier<'a> {
    pub fn new(
        rules: &'a RuleSet,
        ontology: Option<&'a Ontology>,
        sample: SampleContext,
    ) -> Result<Self, SetupError> {
        if sample.sample_type == SampleType::Somatic {
            let code = sample
                .tumour_type
                .as_deref()
                .ok_or(SetupError::NoTumourType)?;
            let ontology = ontology.ok_or(SetupError::NoOntology)?;
            if ontology.node(code).is_none() {
                return Err(SetupError::UnknownTumourType(
                    code.to_string(),
                    ontology.file_name.clone(),
                ));
            }
        }
        Ok(Self {
            rules,
            ontology,
            sample,
        })
    }

    pub fn facts(&self, record: &VariantRecord) -> VariantFacts {
        VariantFacts::of(
            record,
            &self.rules.common.rules,
            self.sample.population_looked_up,
        )
    }

    /// Classifies one variant under every scheme of the sample type.
    pub fn classify(&self, record: &VariantRecord) -> Classification {
        let facts = self.facts(record);
        let mut classification = Classification::default();
        match self.sample.sample_type {
            SampleType::Somatic => {
                let (onco, onco_trace) = oncogenicity::classify(
                    record,
                    &facts,
                    &OncogenicityContext {
                        rules: &self.rules.oncogenicity,
                        common: &self.rules.common.rules,
                        genes: &self.rules.genes.rules,
                    },
                );
                let (call, amp_trace) = amp::classify(
                    record,
                    &facts,
                    &AmpContext {
                        rules: &self.rules.amp,
                        common: &self.rules.common.rules,
                        ontology: self.ontology.expect("checked by Classifier::new"),
                        tumour_type: self
                            .sample
                            .tumour_type
                            .as_deref()
                            .expect("checked by Classifier::new"),
                        oncogenicity_class: Some(&onco.class),
                    },
                );
                classification.amp = Some(call);
                classification.oncogenicity = Some(onco);
                // The germline screen comes first in the trace, so a flag
                // is read before the tier it qualifies.
                if is_tumour_only(record, self.sample.tumour_only) {
                    let screen = germline::screen(
                        record,
                        &facts,
                        &self.rules.tumour_only,
                        &self.rules.common.rules,
                    );
                    classification.likely_germline = screen.flag;
                    classification.trace.extend(screen.trace);
                }
                classification.trace.extend(amp_trace);
                classification.trace.extend(onco_trace);
            }
            SampleType::Germline => {
                let (call, trace) = acmg::classify(
                    record,
                    &facts,
                    &AcmgContext {
                        rules: &self.rules.acmg,
                        common: &self.rules.common.rules,
                        genes: &self.rules.genes.rules,
                    },
                );
                classification.acmg = Some(call);
                classification.trace.extend(trace);
            }
        }
        classification
    }
}
