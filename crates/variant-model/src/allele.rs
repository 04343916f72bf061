//! Alleles: one ALT allele against its REF at a genomic position, as the
//! pipeline carries it after splitting and normalisation.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One biallelic variant in VCF coordinates (1-based `pos`, REF and ALT
/// including the VCF padding base for indels), after splitting multi-allelic
/// records, trimming shared bases and left-aligning against the reference.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub struct GenomicAllele {
    pub chrom: String,
    /// 1-based position of the first REF base.
    pub pos: u64,
    #[serde(rename = "ref")]
    pub ref_allele: String,
    #[serde(rename = "alt")]
    pub alt_allele: String,
}

impl GenomicAllele {
    pub fn new(
        chrom: impl Into<String>,
        pos: u64,
        ref_allele: impl Into<String>,
        alt_allele: impl Into<String>,
    ) -> Self {
        Self {
            chrom: chrom.into(),
            pos,
            ref_allele: ref_allele.into(),
            alt_allele: alt_allele.into(),
        }
    }

    /// The normalised key `chrom-pos-ref-alt` used to match alleles across
    /// tools and knowledge bases (the gnomAD/ClinVar "variant id" convention).
    pub fn key(&self) -> String {
        format!(
            "{}-{}-{}-{}",
            self.chrom, self.pos, self.ref_allele, self.alt_allele
        )
    }

    /// 1-based inclusive end of the REF allele on the genome.
    pub fn end(&self) -> u64 {
        self.pos + self.ref_allele.len().max(1) as u64 - 1
    }

    pub fn class(&self) -> VariantClass {
        VariantClass::of(&self.ref_allele, &self.alt_allele)
    }
}

impl fmt::Display for GenomicAllele {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}>{}",
            self.chrom, self.pos, self.ref_allele, self.alt_allele
        )
    }
}

/// The shape of an allele, as VEP's VARIANT_CLASS reports it (SO terms).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum VariantClass {
    /// SO:0001483 single nucleotide variant.
    Snv,
    /// SO:1000002 substitution of several nucleotides (MNV).
    Substitution,
    /// SO:0000667 insertion.
    Insertion,
    /// SO:0000159 deletion.
    Deletion,
    /// SO:1000032 delins (indel with different lengths and no shared anchor).
    Indel,
    /// Symbolic (`<DEL>`, breakends, `*`): carried through, not interpreted.
    Symbolic,
}

impl VariantClass {
    /// Classifies a REF/ALT pair after trimming shared leading and trailing
    /// bases, so `AT>A` is a deletion and `A>G` an SNV.
    pub fn of(ref_allele: &str, alt_allele: &str) -> Self {
        let is_symbolic = |a: &str| {
            a.starts_with('<')
                || a.contains('[')
                || a.contains(']')
                || a == "*"
                || a == "."
                || (a.starts_with('.') && a.len() > 1)
                || (a.ends_with('.') && a.len() > 1)
        };
        if is_symbolic(alt_allele) || is_symbolic(ref_allele) {
            return VariantClass::Symbolic;
        }
        let (r, a) = (ref_allele.as_bytes(), alt_allele.as_bytes());
        let mut suffix = 0;
        while suffix < r.len().min(a.len()) && r[r.len() - 1 - suffix] == a[a.len() - 1 - suffix] {
            suffix += 1;
        }
        let (r, a) = (&r[..r.len() - suffix], &a[..a.len() - suffix]);
        let mut prefix = 0;
        while prefix < r.len().min(a.len()) && r[prefix] == a[prefix] {
            prefix += 1;
        }
        let (r, a) = (&r[prefix..], &a[prefix..]);
        match (r.len(), a.len()) {
            (1, 1) => VariantClass::Snv,
            (0, 0) => VariantClass::Snv, // REF == ALT; callers flag it separately
            (0, _) => VariantClass::Insertion,
            (_, 0) => VariantClass::Deletion,
            (x, y) if x == y => VariantClass::Substitution,
            _ => VariantClass::Indel,
        }
    }

    /// The Sequence Ontology term VEP writes in `VARIANT_CLASS`.
    pub fn so_term(self) -> &'static str {
        match self {
            VariantClass::Snv => "SNV",
            VariantClass::Substitution => "substitution",
            VariantClass::Insertion => "insertion",
            VariantClass::Deletion => "deletion",
            VariantClass::Indel => "indel",
            VariantClass::Symbolic => "sequence_alteration",
        }
    }
}

/// The input record an allele came from, before splitting and
/// normalisation: what `bcftools norm --old-rec-tag` records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct OriginalRecord {
    pub chrom: String,
    pub pos: u64,
    #[serde(rename = "ref")]
    pub ref_allele: String,
    /// All ALT alleles of the input record.
    #[serde(rename = "alt")]
    pub alt_alleles: Vec<String>,
    /// 1-based index of this allele among `alt`.
    pub alt_index: usize,
}

impl OriginalRecord {
    /// `CHROM|POS|REF|ALT|IALT`, the value of `INFO/ORIGINAL` written by
    /// vcf-annotate, in the layout of `bcftools norm --old-rec-tag`: `|IALT`
    /// is left out when the record had a single ALT (it was realigned, not
    /// split).
    pub fn to_info_value(&self) -> String {
        let mut value = format!(
            "{}|{}|{}|{}",
            self.chrom,
            self.pos,
            self.ref_allele,
            self.alt_alleles.join(",")
        );
        if self.alt_alleles.len() > 1 {
            value.push('|');
            value.push_str(&self.alt_index.to_string());
        }
        value
    }

    /// Parses the value written by [`OriginalRecord::to_info_value`].
    pub fn from_info_value(value: &str) -> Option<Self> {
        let mut parts = value.split('|');
        let chrom = parts.next()?.to_string();
        let pos = parts.next()?.parse().ok()?;
        let ref_allele = parts.next()?.to_string();
        let alt_alleles: Vec<String> = parts.next()?.split(',').map(str::to_string).collect();
        let alt_index = match parts.next() {
            Some(index) => index.parse().ok()?,
            None if alt_alleles.len() == 1 => 1,
            None => return None,
        };
        if parts.next().is_some() {
            return None;
        }
        Some(Self {
            chrom,
            pos,
            ref_allele,
            alt_alleles,
            alt_index,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_alleles_after_trimming_shared_bases() {
        assert_eq!(VariantClass::of("A", "G"), VariantClass::Snv);
        assert_eq!(VariantClass::of("AT", "A"), VariantClass::Deletion);
        assert_eq!(VariantClass::of("A", "ATT"), VariantClass::Insertion);
        assert_eq!(VariantClass::of("AC", "GT"), VariantClass::Substitution);
        assert_eq!(VariantClass::of("ACG", "T"), VariantClass::Indel);
        // shared suffix: CAT>GAT is an SNV at the first base
        assert_eq!(VariantClass::of("CAT", "GAT"), VariantClass::Snv);
        assert_eq!(VariantClass::of("A", "<DEL>"), VariantClass::Symbolic);
        assert_eq!(VariantClass::of("A", "A[3:100["), VariantClass::Symbolic);
        assert_eq!(VariantClass::of("A", "*"), VariantClass::Symbolic);
    }

    #[test]
    fn original_record_round_trips_through_info_value() {
        let original = OriginalRecord {
            chrom: "chr7".into(),
            pos: 140753336,
            ref_allele: "A".into(),
            alt_alleles: vec!["T".into(), "C".into()],
            alt_index: 2,
        };
        let value = original.to_info_value();
        assert_eq!(value, "chr7|140753336|A|T,C|2");
        assert_eq!(
            OriginalRecord::from_info_value(&value),
            Some(original.clone())
        );
        assert_eq!(OriginalRecord::from_info_value("chr7|x|A|T|1"), None);
        // a realigned (not split) record has no index
        let realigned = OriginalRecord {
            alt_alleles: vec!["T".into()],
            alt_index: 1,
            ..original
        };
        assert_eq!(realigned.to_info_value(), "chr7|140753336|A|T");
        assert_eq!(
            OriginalRecord::from_info_value("chr7|140753336|A|T"),
            Some(realigned)
        );
        assert_eq!(OriginalRecord::from_info_value("chr7|1|A|T,C"), None);
    }

    #[test]
    fn allele_key_and_end() {
        let a = GenomicAllele::new("7", 100, "ACG", "A");
        assert_eq!(a.key(), "7-100-ACG-A");
        assert_eq!(a.end(), 102);
    }
}
