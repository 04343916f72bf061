//! Matching one annotated allele against a bundle.
//!
//! Levels, strongest first ([`MatchLevel`]): exact genomic allele (exact
//! tables and curated allele rules), same protein change (gene + canonical
//! short form of HGVSp), same codon (a protein-altering change starting at
//! the residue), region (exon rules on the transcript's EXON number,
//! residue ranges), gene-level category (truncating, oncogenic, any
//! mutation).
//!
//! Protein, codon, region and gene levels are tried on every transcript
//! consequence of the allele; each match records the transcript that
//! produced it and whether it is the picked one. A record matched through
//! several transcripts is reported once, at its strongest level, preferring
//! the picked transcript.

use std::collections::HashMap;

use variant_model::GenomicAllele;
use variant_model::consequence::{FeatureNumber, Impact, SoTerm, TranscriptConsequence};
use variant_model::evidence::{KbMatch, MatchLevel};

use crate::bundle::{Bundle, ExactSource};
use crate::curated::{CuratedSource, GeneCategory, MatchRule, RegionEffect};
use crate::exact::SourceLine;
use crate::manifest::SourceKind;
use crate::protein_change::{self, ChangeKind, ProteinChange};

/// What the matcher reads from one transcript consequence.
#[derive(Debug, Clone)]
pub struct TranscriptView<'a> {
    pub transcript: Option<&'a str>,
    pub gene: &'a str,
    pub picked: bool,
    pub change: Option<ProteinChange>,
    pub terms: &'a [SoTerm],
    pub exon: Option<FeatureNumber>,
}

impl<'a> TranscriptView<'a> {
    /// The view of a consequence with a gene symbol; `None` for intergenic
    /// entries. The protein change comes from HGVSp, or, when the
    /// annotation has none (VEP without `--hgvs`), from `Protein_position`
    /// and `Amino_acids` for single-residue substitutions.
    pub fn of(c: &'a TranscriptConsequence) -> Option<Self> {
        let gene = c.symbol.as_deref()?;
        let change = c
            .hgvsp
            .as_deref()
            .and_then(protein_change::parse)
            .or_else(|| substitution_from_columns(c));
        Some(Self {
            transcript: c.feature.as_deref(),
            gene,
            picked: c.pick,
            change,
            terms: &c.consequences,
            exon: c.exon,
        })
    }

    fn has(&self, term: SoTerm) -> bool {
        self.terms.contains(&term)
    }

    /// HIGH or MODERATE impact: changes the protein or a splice site.
    fn alters_protein_or_splicing(&self) -> bool {
        self.terms
            .iter()
            .any(|t| matches!(t.impact(), Impact::High | Impact::Moderate))
    }

    fn is_truncating(&self) -> bool {
        self.terms.iter().any(|t| {
            matches!(
                t,
                SoTerm::StopGained
                    | SoTerm::FrameshiftVariant
                    | SoTerm::SpliceAcceptorVariant
                    | SoTerm::SpliceDonorVariant
                    | SoTerm::TranscriptAblation
            )
        })
    }

    /// In-frame deletion (consequence term, or the protein change shape).
    fn is_inframe_deletion(&self) -> bool {
        self.has(SoTerm::InframeDeletion)
            || matches!(&self.change, Some(c) if c.kind == ChangeKind::Deletion
                || matches!(&c.kind, ChangeKind::DelIns(seq) if (seq.len() as u64) < c.last_position() - c.start + 1))
    }

    fn is_inframe_insertion(&self) -> bool {
        self.has(SoTerm::InframeInsertion)
            || matches!(&self.change, Some(c) if matches!(c.kind, ChangeKind::Insertion(_) | ChangeKind::Duplication)
                || matches!(&c.kind, ChangeKind::DelIns(seq) if (seq.len() as u64) > c.last_position() - c.start + 1))
    }

    fn matches_effect(&self, effect: RegionEffect) -> bool {
        match effect {
            RegionEffect::InframeDeletion => self.is_inframe_deletion(),
            RegionEffect::InframeInsertion => self.is_inframe_insertion(),
            RegionEffect::InframeIndel => {
                self.is_inframe_deletion()
                    || self.is_inframe_insertion()
                    || matches!(&self.change, Some(c) if matches!(c.kind, ChangeKind::DelIns(_)))
            }
            RegionEffect::Missense => self.has(SoTerm::MissenseVariant),
            RegionEffect::Frameshift => self.has(SoTerm::FrameshiftVariant),
            RegionEffect::AnyMutation => self.alters_protein_or_splicing(),
        }
    }
}

/// `Protein_position` 600 + `Amino_acids` `V/E` → V600E.
fn substitution_from_columns(c: &TranscriptConsequence) -> Option<ProteinChange> {
    let position = c.protein_position?;
    let (start, end) = (position.start?, position.end?);
    if start != end {
        return None;
    }
    let (from, to) = c.amino_acids.as_deref()?.split_once('/')?;
    if from.len() != 1 || to.len() != 1 {
        return None;
    }
    protein_change::parse(&format!("{from}{start}{to}"))
}

/// The strongest level at which `rule` matches the transcript, if any.
/// Allele rules are matched separately (they need no transcript).
fn rule_level(rule: &MatchRule, view: &TranscriptView) -> Option<MatchLevel> {
    match rule {
        MatchRule::Allele { .. } => None,
        MatchRule::Protein { change } => {
            let own = view.change.as_ref()?;
            (own.short() == *change).then_some(MatchLevel::ProteinChange)
        }
        MatchRule::Codon { position, ref_aa } => {
            let own = view.change.as_ref()?;
            let same_residue =
                own.start == *position && ref_aa.is_none_or(|aa| aa as u8 == own.start_aa);
            let kind_counts = !matches!(
                own.kind,
                ChangeKind::Frameshift | ChangeKind::Extension | ChangeKind::Residue
            );
            (same_residue && kind_counts && own.alters_protein()).then_some(MatchLevel::Codon)
        }
        MatchRule::Exon {
            first,
            last,
            effect,
        } => {
            let exon = view.exon?;
            let overlaps = exon.first <= *last && exon.last >= *first;
            (overlaps && view.matches_effect(*effect)).then_some(MatchLevel::Region)
        }
        MatchRule::ProteinRange { start, end, effect } => {
            let own = view.change.as_ref()?;
            let overlaps = own.start <= *end && own.last_position() >= *start;
            (overlaps && view.matches_effect(*effect)).then_some(MatchLevel::Region)
        }
        MatchRule::Gene { category } => match category {
            GeneCategory::Truncating => view.is_truncating().then_some(MatchLevel::Gene),
            GeneCategory::AnyMutation => view
                .alters_protein_or_splicing()
                .then_some(MatchLevel::Gene),
            // Resolved after the other matches are known.
            GeneCategory::Oncogenic => None,
        },
    }
}

/// A candidate: record `index` of a source, at `level`, via a transcript.
#[derive(Debug, Clone)]
struct Candidate<'a> {
    level: MatchLevel,
    transcript: Option<&'a str>,
    picked: Option<bool>,
    order: usize,
}

impl Candidate<'_> {
    fn better_than(&self, other: &Candidate) -> bool {
        (self.level, !self.picked.unwrap_or(false), self.order)
            < (other.level, !other.picked.unwrap_or(false), other.order)
    }
}

fn offer<'a>(best: &mut HashMap<usize, Candidate<'a>>, index: usize, candidate: Candidate<'a>) {
    match best.get(&index) {
        Some(current) if !candidate.better_than(current) => {}
        _ => {
            best.insert(index, candidate);
        }
    }
}

/// Matches an allele against the curated sources (no I/O; thread-safe).
pub fn match_curated(
    sources: &[CuratedSource],
    allele: &GenomicAllele,
    consequences: &[TranscriptConsequence],
) -> Vec<KbMatch> {
    // Picked transcript first, then the others in a fixed order, so ties
    // resolve the same way on every run.
    let mut views: Vec<TranscriptView> =
        consequences.iter().filter_map(TranscriptView::of).collect();
    views.sort_by(|a, b| (!a.picked, a.transcript).cmp(&(!b.picked, b.transcript)));
    let mut matches = Vec::new();
    let mut oncogenic_genes: Vec<&str> = Vec::new();
    let mut deferred: Vec<(usize, usize, Candidate)> = Vec::new();
    for (source_index, source) in sources.iter().enumerate() {
        let mut best: HashMap<usize, Candidate> = HashMap::new();
        for &i in source.by_allele(
            &allele.chrom,
            allele.pos,
            &allele.ref_allele,
            &allele.alt_allele,
        ) {
            offer(
                &mut best,
                i,
                Candidate {
                    level: MatchLevel::ExactAllele,
                    transcript: None,
                    picked: None,
                    order: 0,
                },
            );
        }
        for (order, view) in views.iter().enumerate() {
            let mut indices: Vec<usize> = Vec::new();
            if let Some(change) = &view.change {
                indices.extend_from_slice(source.by_protein(view.gene, &change.short()));
                indices.extend_from_slice(source.by_codon(view.gene, change.start));
            }
            indices.extend_from_slice(source.gene_rules(view.gene));
            for i in indices {
                let record = &source.records[i];
                if record.gene.as_deref() != Some(view.gene) {
                    continue;
                }
                for rule in &record.rules {
                    if let MatchRule::Gene {
                        category: GeneCategory::Oncogenic,
                    } = rule
                    {
                        if view.alters_protein_or_splicing() {
                            deferred.push((
                                source_index,
                                i,
                                Candidate {
                                    level: MatchLevel::Gene,
                                    transcript: view.transcript,
                                    picked: Some(view.picked),
                                    order: order + 1,
                                },
                            ));
                        }
                        continue;
                    }
                    if let Some(level) = rule_level(rule, view) {
                        offer(
                            &mut best,
                            i,
                            Candidate {
                                level,
                                transcript: view.transcript,
                                picked: Some(view.picked),
                                order: order + 1,
                            },
                        );
                    }
                }
            }
        }
        for (i, candidate) in best {
            let record = &source.records[i];
            if (record.evidence.evidence_type.as_deref() == Some("hotspot")
                || record
                    .evidence
                    .clinical_significance
                    .as_deref()
                    .is_some_and(|s| {
                        s.to_ascii_lowercase().contains("oncogenic")
                            && !s.to_ascii_lowercase().contains("not oncogenic")
                            && !s.to_ascii_lowercase().contains("inconclusive")
                    }))
                && let Some(gene) = record.gene.as_deref()
            {
                oncogenic_genes.push(gene);
            }
            matches.push(to_match(source, i, &candidate));
        }
    }
    // "Oncogenic Mutations": the allele matched an oncogenic record or a
    // hotspot in the same gene.
    let mut resolved: HashMap<(usize, usize), Candidate> = HashMap::new();
    for (source_index, i, candidate) in deferred {
        let gene = sources[source_index].records[i]
            .gene
            .as_deref()
            .unwrap_or_default();
        if oncogenic_genes.contains(&gene) {
            let key = (source_index, i);
            match resolved.get(&key) {
                Some(current) if !candidate.better_than(current) => {}
                _ => {
                    resolved.insert(key, candidate);
                }
            }
        }
    }
    for ((source_index, i), candidate) in resolved {
        let source = &sources[source_index];
        if !matches.iter().any(|m: &KbMatch| {
            m.source == source.name && m.record_id == source.records[i].record_id
        }) {
            matches.push(to_match(source, i, &candidate));
        }
    }
    matches
}

fn to_match(source: &CuratedSource, index: usize, candidate: &Candidate) -> KbMatch {
    let record = &source.records[index];
    KbMatch {
        source: source.name.clone(),
        source_version: source.version.clone(),
        record_id: record.record_id.clone(),
        level: candidate.level,
        matched_term: Some(record.term.clone()),
        transcript: candidate.transcript.map(str::to_string),
        on_picked_transcript: candidate.picked,
        evidence: record.evidence.clone(),
    }
}

/// A record of an exact-allele table with an allele's REF and ALT: found
/// by [`exact_hits`] (sequential), turned into a match by [`exact_matches`]
/// (no I/O; can run on any thread).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExactHit {
    /// Index of the source in [`Bundle::exact`].
    pub source: usize,
    pub line: SourceLine,
}

/// What a match needs to know about an exact-allele source (its table
/// stays with the sequential reader).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExactSourceInfo {
    pub name: String,
    pub kind: SourceKind,
    pub version: String,
    /// Made-up data: matches carry no links into the real database.
    pub synthetic: bool,
}

impl ExactSourceInfo {
    pub fn of(source: &ExactSource) -> Self {
        Self {
            name: source.name.clone(),
            kind: source.kind,
            version: source.version.clone(),
            synthetic: source.synthetic,
        }
    }
}

/// The exact-table records of an allele (sequential: each table keeps a
/// cursor for the merge-join, so alleles should come in position order).
pub fn exact_hits(
    sources: &mut [ExactSource],
    allele: &GenomicAllele,
) -> crate::Result<Vec<ExactHit>> {
    let mut hits = Vec::new();
    for (index, source) in sources.iter_mut().enumerate() {
        for line in source.table.at(&allele.chrom, allele.pos)? {
            if line.ref_allele() == allele.ref_allele && line.alt_allele() == allele.alt_allele {
                hits.push(ExactHit {
                    source: index,
                    line: line.clone(),
                });
            }
        }
    }
    Ok(hits)
}

/// The matches of an allele's exact hits, with their evidence decoded.
pub fn exact_matches(
    sources: &[ExactSourceInfo],
    allele: &GenomicAllele,
    hits: &[ExactHit],
) -> Vec<KbMatch> {
    hits.iter()
        .map(|hit| {
            let source = &sources[hit.source];
            let (record_id, term, mut evidence) =
                crate::sources::exact_evidence(source.kind, &allele.chrom, &hit.line);
            if source.synthetic {
                evidence.url = None;
            }
            KbMatch {
                source: source.name.clone(),
                source_version: Some(source.version.clone()),
                record_id,
                level: MatchLevel::ExactAllele,
                matched_term: term,
                transcript: None,
                on_picked_transcript: None,
                evidence,
            }
        })
        .collect()
}

/// Matches an allele against the exact-allele tables.
pub fn match_exact(bundle: &mut Bundle, allele: &GenomicAllele) -> crate::Result<Vec<KbMatch>> {
    let hits = exact_hits(&mut bundle.exact, allele)?;
    let sources: Vec<ExactSourceInfo> = bundle.exact.iter().map(ExactSourceInfo::of).collect();
    Ok(exact_matches(&sources, allele, &hits))
}

/// Every match of one allele, strongest level first, then by source and
/// record id.
pub fn match_allele(
    bundle: &mut Bundle,
    allele: &GenomicAllele,
    consequences: &[TranscriptConsequence],
) -> crate::Result<Vec<KbMatch>> {
    let mut matches = match_exact(bundle, allele)?;
    matches.extend(match_curated(&bundle.curated, allele, consequences));
    sort_matches(&mut matches);
    Ok(matches)
}

/// The order matches are reported in.
pub fn sort_matches(matches: &mut [KbMatch]) {
    matches.sort_by(|a, b| {
        (a.level, &a.source, &a.record_id, &a.transcript).cmp(&(
            b.level,
            &b.source,
            &b.record_id,
            &b.transcript,
        ))
    });
}
