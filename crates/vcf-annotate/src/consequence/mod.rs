//! Transcript consequences (Sequence Ontology terms as VEP assigns them),
//! with HGVS, positions and the picked transcript; joint consequences of
//! phased variants that change the same codons (bcftools-csq style BCSQ).
//!
//! Records arrive sorted. They are grouped into blocks: a block ends
//! between two records that no transcript spans both of, so variants that
//! can change the same protein are always annotated together. Complete
//! blocks are annotated in parallel; the last, still open block is held
//! back until more records (or [`Annotator::finish`]) close it.

pub mod bcsq;
pub mod transcript_seq;
pub mod variant;
pub mod vep;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use noodles::vcf::Header;
use noodles::vcf::header::record::value::map::Info;
use noodles::vcf::header::record::value::map::info::{Number, Type};
use noodles::vcf::variant::record_buf::info::field::Value;
use noodles::vcf::variant::record_buf::info::field::value::Array;
use rayon::prelude::*;
use variant_model::csq::csq_header_description;
use variant_model::{GenomicAllele, SoTerm, TranscriptConsequence, VariantClass};

use crate::gene_model::{GeneModel, Transcript};
use crate::pick::PickOrder;
use crate::record::{AnnotatedRecord, NormFlag, NormalisedRecord};
use crate::reference::{ContigSequence, Reference};
use transcript_seq::TranscriptSeq;
use variant::Variant;
use vep::Flanks;

#[derive(Debug, thiserror::Error)]
pub enum AnnotateError {
    #[error("line {line}: {message}")]
    Invalid { line: u64, message: String },
}

#[derive(Debug, Clone)]
pub struct AnnotateOptions {
    pub upstream_distance: u64,
    pub downstream_distance: u64,
    /// Add bcftools-csq compatible INFO/BCSQ.
    pub bcsq: bool,
    /// Abbreviate BCSQ protein changes after this many residues (bcftools
    /// `-B`); 0 writes them in full.
    pub bcsq_brief: usize,
    /// BCSQ of every record alone, never combined (bcftools `-l`).
    pub bcsq_local: bool,
    /// Order of criteria that flags one consequence per allele (PICK).
    pub pick_order: PickOrder,
    /// Number of samples in the input (decides how BCSQ groups variants
    /// into haplotypes).
    pub samples: usize,
}

/// Where contig sequences come from: the reference FASTA, or (in tests)
/// sequences held in memory.
pub trait ContigSource: Send + Sync {
    fn contig(&self, name: &str) -> Result<Arc<ContigSequence>, String>;
}

impl ContigSource for Reference {
    fn contig(&self, name: &str) -> Result<Arc<ContigSequence>, String> {
        Reference::contig(self, name).map_err(|e| e.to_string())
    }
}

impl ContigSource for HashMap<String, Arc<ContigSequence>> {
    fn contig(&self, name: &str) -> Result<Arc<ContigSequence>, String> {
        self.get(name)
            .cloned()
            .ok_or_else(|| format!("contig `{name}` is not in the reference"))
    }
}

/// Records after which a block is cut at the next gap of at least
/// [`BLOCK_CUT_GAP`] bases, and the most it may hold at all: bounds memory
/// when one huge transcript spans a dense region. A cut only loses joint
/// (BCSQ) consequences of variants on both sides of it, and a gap makes
/// that unlikely (they must share a codon or an open frameshift).
const SOFT_BLOCK_RECORDS: usize = 1_000;
const MAX_BLOCK_RECORDS: usize = 10_000;
const BLOCK_CUT_GAP: u64 = 1_000;

/// Records of complete blocks gathered before they are annotated in
/// parallel, and the least one parallel task gets (whole blocks).
const BATCH_RECORDS: usize = 8_192;
const TASK_RECORDS: usize = 256;

pub struct Annotator {
    model: Arc<GeneModel>,
    sequences: Arc<dyn ContigSource>,
    options: AnnotateOptions,
    /// Records of the block still open (may join the next records).
    open: Vec<NormalisedRecord>,
    /// Complete blocks not annotated yet, and how many records they hold.
    pending: Vec<Vec<NormalisedRecord>>,
    pending_records: usize,
    /// Transcript sequences built once and reused by every later block that
    /// needs them (keyed by the transcript's address in the gene model).
    /// Transcripts that sorted input has moved past are dropped, so this
    /// holds only those near the current position.
    /// (A BTreeMap: it holds few entries and is looked up for every
    /// transcript of every record, where hashing cost more.)
    transcripts: BTreeMap<usize, Arc<TranscriptSeq>>,
}

/// The key of a transcript in [`Annotator::transcripts`].
fn transcript_key(t: &Arc<Transcript>) -> usize {
    Arc::as_ptr(t) as usize
}

/// A block of records with their minimal alleles and the contig they lie on.
struct Block {
    records: Vec<NormalisedRecord>,
    variants: Vec<Option<Variant>>,
    /// `None` for records on a contig the reference lacks (kept by
    /// `--unknown-contigs keep`): they pass through unannotated.
    contig: Option<Arc<ContigSequence>>,
}

impl Annotator {
    pub fn new(model: Arc<GeneModel>, reference: Arc<Reference>, options: AnnotateOptions) -> Self {
        Self::with_sequences(model, reference, options)
    }

    /// Like [`Annotator::new`] with any source of contig sequences.
    pub fn with_sequences(
        model: Arc<GeneModel>,
        sequences: Arc<dyn ContigSource>,
        options: AnnotateOptions,
    ) -> Self {
        Self {
            model,
            sequences,
            options,
            open: Vec::new(),
            pending: Vec::new(),
            pending_records: 0,
            transcripts: BTreeMap::new(),
        }
    }

    /// Number of samples of the input: with none, BCSQ combines all
    /// variants of a transcript (as bcftools does); with samples, those on
    /// the same phased haplotype.
    pub fn set_sample_count(&mut self, samples: usize) {
        self.options.samples = samples;
    }

    /// Header lines for INFO/CSQ (and INFO/BCSQ).
    pub fn add_header_lines(&self, header: &mut Header) {
        header.infos_mut().insert(
            "CSQ".into(),
            Map::<Info>::new(
                Number::Unknown,
                Type::String,
                csq_header_description("vcf-annotate"),
            ),
        );
        if self.options.bcsq {
            header.infos_mut().insert(
                "BCSQ".into(),
                Map::<Info>::new(
                    Number::Unknown,
                    Type::String,
                    "Haplotype-aware consequence annotation in bcftools csq's format. \
                     Format: Consequence|gene|transcript|biotype|strand|amino_acid_change|dna_change",
                ),
            );
        }
    }

    /// Annotates sorted records. Records that may combine with records not
    /// yet seen are held back and returned by a later call or by `finish`.
    pub fn annotate(
        &mut self,
        records: Vec<NormalisedRecord>,
    ) -> Result<Vec<AnnotatedRecord>, AnnotateError> {
        let parts = self.annotate_into(records, &|out: &mut Vec<_>, block| out.extend(block))?;
        Ok(parts.into_iter().flatten().collect())
    }

    pub fn finish(&mut self) -> Result<Vec<AnnotatedRecord>, AnnotateError> {
        let parts = self.finish_into(&|out: &mut Vec<_>, block| out.extend(block))?;
        Ok(parts.into_iter().flatten().collect())
    }

    /// Like [`Annotator::annotate`], but hands the annotated records of each
    /// block, in order, to `sink` on the worker thread that annotated them
    /// (e.g. to format them there): consecutive blocks go to the same
    /// accumulator `R`, and the accumulators are returned in input order.
    pub fn annotate_into<R, F>(
        &mut self,
        records: Vec<NormalisedRecord>,
        sink: &F,
    ) -> Result<Vec<R>, AnnotateError>
    where
        R: Default + Send,
        F: Fn(&mut R, Vec<AnnotatedRecord>) + Sync,
    {
        let mut out = Vec::new();
        for record in records {
            if let Some(last) = self.open.last()
                && (!self.same_block(last, &record) || self.block_full(last, &record))
            {
                self.pending_records += self.open.len();
                self.pending.push(std::mem::take(&mut self.open));
                if self.pending_records >= BATCH_RECORDS {
                    out.extend(self.annotate_pending(sink)?);
                }
            }
            self.open.push(record);
        }
        out.extend(self.annotate_pending(sink)?);
        Ok(out)
    }

    /// Like [`Annotator::finish`], with a sink as [`Annotator::annotate_into`].
    pub fn finish_into<R, F>(&mut self, sink: &F) -> Result<Vec<R>, AnnotateError>
    where
        R: Default + Send,
        F: Fn(&mut R, Vec<AnnotatedRecord>) + Sync,
    {
        let last = std::mem::take(&mut self.open);
        if !last.is_empty() {
            self.pending_records += last.len();
            self.pending.push(last);
        }
        self.annotate_pending(sink)
    }

    /// The open block is big enough to cut before `next`.
    fn block_full(&self, last: &NormalisedRecord, next: &NormalisedRecord) -> bool {
        let gap = next.allele.pos.saturating_sub(last.allele.end());
        self.open.len() >= MAX_BLOCK_RECORDS
            || (self.open.len() >= SOFT_BLOCK_RECORDS && gap >= BLOCK_CUT_GAP)
    }

    fn same_block(&self, a: &NormalisedRecord, b: &NormalisedRecord) -> bool {
        a.allele.chrom == b.allele.chrom
            && self
                .model
                .shares_transcript(&a.allele.chrom, a.allele.pos, b.allele.end())
    }

    /// Up/down-stream distance within which transcripts are annotated.
    fn flank(&self) -> u64 {
        self.options
            .upstream_distance
            .max(self.options.downstream_distance)
    }

    /// Annotates the complete blocks gathered so far, in parallel: runs of
    /// consecutive blocks with at least [`TASK_RECORDS`] records make one
    /// task each.
    fn annotate_pending<R, F>(&mut self, sink: &F) -> Result<Vec<R>, AnnotateError>
    where
        R: Default + Send,
        F: Fn(&mut R, Vec<AnnotatedRecord>) + Sync,
    {
        let blocks = std::mem::take(&mut self.pending);
        self.pending_records = 0;
        let mut tasks: Vec<Vec<Block>> = Vec::new();
        let mut task_records = 0;
        for records in blocks {
            let Some(first) = records.first() else {
                continue;
            };
            // A block holds one contig, so its first record tells.
            let (contig, variants) = if first.flags.contains(&NormFlag::UnknownContig) {
                (None, vec![None; records.len()])
            } else {
                let contig = self.contig(&first.allele.chrom, first.line)?;
                let variants: Vec<Option<Variant>> = records
                    .iter()
                    .map(|r| Variant::from_allele(&r.allele))
                    .collect();
                (Some(contig), variants)
            };
            if tasks.is_empty() || task_records >= TASK_RECORDS {
                tasks.push(Vec::new());
                task_records = 0;
            }
            task_records += records.len();
            tasks
                .last_mut()
                .expect("a task was just added")
                .push(Block {
                    records,
                    variants,
                    contig,
                });
        }
        self.build_transcripts(tasks.iter().flatten());
        let this = &*self;
        Ok(tasks
            .into_par_iter()
            .map(|task| {
                let mut acc = R::default();
                for block in task {
                    sink(&mut acc, this.annotate_block(block));
                }
                acc
            })
            .collect())
    }

    /// Span of a block's alleles (`None` when none can be annotated).
    fn span(variants: &[Option<Variant>]) -> Option<(u64, u64)> {
        let lo = variants
            .iter()
            .flatten()
            .map(|v| v.start.min(v.end))
            .min()?;
        let hi = variants
            .iter()
            .flatten()
            .map(|v| v.end.max(v.start))
            .max()?;
        Some((lo, hi))
    }

    /// Builds (in parallel) the sequences of every transcript near the
    /// blocks that is not cached yet, after dropping the cached transcripts
    /// that end before the first of these blocks: input is sorted, so no
    /// later record needs them (and if one did, it would be rebuilt).
    fn build_transcripts<'b>(&mut self, blocks: impl Iterator<Item = &'b Block> + Clone) {
        let flank = self.flank();
        if let Some(first) = blocks.clone().next()
            && let Some((lo, _)) = Self::span(&first.variants)
        {
            let same_contig = |ts: &TranscriptSeq| {
                first
                    .contig
                    .as_ref()
                    .is_some_and(|c| Arc::ptr_eq(&ts.contig, c))
            };
            self.transcripts
                .retain(|_, ts| same_contig(ts) && ts.tr.end.saturating_add(flank) >= lo);
        }
        let mut missing: Vec<(Arc<Transcript>, Arc<ContigSequence>)> = Vec::new();
        let mut queued = std::collections::HashSet::new();
        for block in blocks {
            let (Some((lo, hi)), Some(contig)) = (Self::span(&block.variants), &block.contig)
            else {
                continue;
            };
            let chrom = &block.records[0].allele.chrom;
            for t in self.model.overlapping(chrom, lo, hi, flank) {
                let key = transcript_key(&t);
                if !self.transcripts.contains_key(&key) && queued.insert(key) {
                    missing.push((t, Arc::clone(contig)));
                }
            }
        }
        let built: Vec<(usize, Arc<TranscriptSeq>)> = missing
            .into_par_iter()
            .map(|(t, contig)| (transcript_key(&t), Arc::new(TranscriptSeq::new(t, contig))))
            .collect();
        self.transcripts.extend(built);
    }

    /// Annotates one block (all on one contig) with the cached transcript
    /// sequences; BCSQ, which links records, runs in order.
    fn annotate_block(&self, block: Block) -> Vec<AnnotatedRecord> {
        let Block {
            records: block,
            variants,
            contig,
        } = block;
        let Some(contig) = contig else {
            return block
                .into_iter()
                .map(|normalised| AnnotatedRecord {
                    normalised,
                    consequences: Vec::new(),
                    bcsq: None,
                })
                .collect();
        };
        let flank = self.flank();
        let flanks = Flanks {
            upstream: self.options.upstream_distance,
            downstream: self.options.downstream_distance,
        };
        let consequences: Vec<Vec<TranscriptConsequence>> = block
            .iter()
            .zip(&variants)
            .map(|(record, v)| {
                v.as_ref()
                    .map(|v| self.consequences(record, v, &contig, flank, flanks))
                    .unwrap_or_default()
            })
            .collect();
        let bcsq = if self.options.bcsq {
            let contigs = |name: &str| self.sequences.contig(name).ok();
            bcsq::annotate_block(
                &self.model,
                &contigs,
                &block,
                self.options.samples,
                self.options.bcsq_brief,
                self.options.bcsq_local,
            )
        } else {
            vec![None; block.len()]
        };
        block
            .into_iter()
            .zip(consequences)
            .zip(bcsq)
            .map(|((normalised, consequences), bcsq)| AnnotatedRecord {
                normalised,
                consequences,
                bcsq,
            })
            .collect()
    }

    /// CSQ entries of one allele: every transcript within the flanks, or
    /// one intergenic entry; one of them picked.
    fn consequences(
        &self,
        record: &NormalisedRecord,
        v: &Variant,
        contig: &Arc<ContigSequence>,
        flank: u64,
        flanks: Flanks,
    ) -> Vec<TranscriptConsequence> {
        let chrom = &record.allele.chrom;
        let transcripts =
            self.model
                .overlapping(chrom, v.start.min(v.end), v.end.max(v.start), flank);
        let mut entries = Vec::new();
        let mut used = Vec::new();
        for tr in transcripts {
            // build_transcripts cached every transcript near the batch's
            // blocks; should one be missing, build it rather than drop it.
            let built;
            let ts = match self.transcripts.get(&transcript_key(&tr)) {
                Some(ts) => ts.as_ref(),
                None => {
                    built = TranscriptSeq::new(Arc::clone(&tr), Arc::clone(contig));
                    &built
                }
            };
            if let Some(c) = vep::transcript_consequence(ts, v, flanks) {
                entries.push(c);
                used.push(tr);
            }
        }
        if entries.is_empty() {
            entries.push(TranscriptConsequence {
                consequences: vec![SoTerm::IntergenicVariant],
                impact: Some(SoTerm::IntergenicVariant.impact()),
                ..Default::default()
            });
        }
        let hgvsg = crate::hgvs::hgvs_genomic(chrom, contig, v);
        let allele = vep_allele(&record.allele);
        let class = record.allele.class().so_term().to_string();
        for e in &mut entries {
            e.allele = allele.clone();
            e.variant_class = Some(class.clone());
            e.hgvsg = Some(hgvsg.clone());
        }
        pick_entry(&mut entries, &used, &self.options.pick_order);
        entries
    }

    fn contig(&self, name: &str, line: u64) -> Result<Arc<ContigSequence>, AnnotateError> {
        self.sequences
            .contig(name)
            .map_err(|message| AnnotateError::Invalid { line, message })
    }
}

use noodles::vcf::header::record::value::Map;

/// VEP's allele notation: the ALT without the padding base VCF puts before
/// indels, `-` for a deletion.
pub fn vep_allele(allele: &GenomicAllele) -> String {
    let (r, a) = (allele.ref_allele.as_bytes(), allele.alt_allele.as_bytes());
    if allele.class() == VariantClass::Symbolic {
        return allele.alt_allele.clone();
    }
    if !r.is_empty() && !a.is_empty() && r[0] == a[0] && (r.len() != a.len() || r.len() > 1) {
        let rest = &allele.alt_allele[1..];
        return if rest.is_empty() {
            "-".into()
        } else {
            rest.to_string()
        };
    }
    allele.alt_allele.clone()
}

/// Flags one consequence per allele by the pick order; an intergenic
/// entry (the only one when no transcript is near) is picked itself.
fn pick_entry(
    entries: &mut [TranscriptConsequence],
    transcripts: &[Arc<Transcript>],
    order: &PickOrder,
) {
    if transcripts.is_empty() {
        if let Some(first) = entries.first_mut() {
            first.pick = true;
        }
        return;
    }
    let candidates: Vec<(&Transcript, &TranscriptConsequence)> = transcripts
        .iter()
        .map(|t| t.as_ref())
        .zip(entries.iter())
        .collect();
    if let Some(i) = crate::pick::pick(&candidates, order) {
        entries[i].pick = true;
    }
}

/// The output record: the normalised record with INFO/CSQ (and BCSQ) set.
/// Both are `Number=.` lists: written as arrays so that the commas between
/// entries stay separators (a single string would get them escaped).
/// A record still kept as its input line is parsed against `header`.
pub fn into_output_record(
    header: &Header,
    annotated: AnnotatedRecord,
) -> std::io::Result<noodles::vcf::variant::RecordBuf> {
    let mut record = annotated.normalised.data.into_parsed(header)?;
    let list =
        |entries: Vec<String>| Value::Array(Array::String(entries.into_iter().map(Some).collect()));
    if !annotated.consequences.is_empty() {
        let entries = annotated
            .consequences
            .iter()
            // The VCF writer percent-encodes `;` and `=` itself (as VEP
            // writes them): hand it the raw characters.
            .map(|c| {
                let entry = variant_model::csq::format_entry(c);
                if entry.contains('%') {
                    variant_model::csq::unescape_value(&entry)
                } else {
                    entry
                }
            })
            .collect();
        record.info_mut().insert("CSQ".into(), Some(list(entries)));
    }
    if let Some(bcsq) = annotated.bcsq {
        let entries = bcsq.split(',').map(str::to_string).collect();
        record.info_mut().insert("BCSQ".into(), Some(list(entries)));
    }
    Ok(*record)
}

/// Appends the VCF line of an annotated record to `out`: the bytes
/// `format_record(header, &into_output_record(annotated))` gives, without
/// building INFO/CSQ as a list of strings. The record is written as it is
/// and CSQ (and BCSQ) are added at the end of its INFO column, which is
/// where `into_output_record` puts keys the record does not have yet;
/// records that already have them take the general path. `scratch` is a
/// reusable buffer.
pub fn write_output_record(
    header: &Header,
    annotated: AnnotatedRecord,
    out: &mut Vec<u8>,
    scratch: &mut String,
) -> std::io::Result<()> {
    let data = &annotated.normalised.data;
    // An empty BCSQ entry or `.` is an error or a special case for the
    // writer: let it decide.
    let plain_bcsq = annotated
        .bcsq
        .as_deref()
        .is_none_or(|b| b.split(',').all(|e| !e.is_empty() && e != "."));
    if data.has_info("CSQ") || data.has_info("BCSQ") || !plain_bcsq {
        return crate::output::format_record(header, &into_output_record(header, annotated)?, out);
    }
    let start = out.len();
    crate::output::format_normalised(header, &annotated.normalised, out)?;
    if annotated.consequences.is_empty() && annotated.bcsq.is_none() {
        return Ok(());
    }
    let invalid = || std::io::Error::other("a formatted VCF line has no INFO column");
    let info_start = memchr::memchr_iter(b'\t', &out[start..])
        .nth(6)
        .map(|i| start + i + 1)
        .ok_or_else(invalid)?;
    let info_end = memchr::memchr2(b'\t', b'\n', &out[info_start..])
        .map(|i| info_start + i)
        .ok_or_else(invalid)?;
    // What follows INFO (FORMAT and samples, the newline) is moved back
    // behind the keys added below.
    let tail_len = out.len() - info_end;
    let mut tail_start = info_end;
    let mut first = out[info_start..info_end] == *b".";
    if first {
        // `.` is replaced by the keys.
        out.remove(info_start);
        tail_start -= 1;
    }
    let mut key = |out: &mut Vec<u8>, key: &[u8]| {
        if !first {
            out.push(b';');
        }
        first = false;
        out.extend_from_slice(key);
    };
    if !annotated.consequences.is_empty() {
        key(out, b"CSQ=");
        for (i, c) in annotated.consequences.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            scratch.clear();
            variant_model::csq::write_entry(c, scratch);
            // As `into_output_record`: the writer percent-encodes `;` and
            // `=` itself, so the entry's own encoding of them is undone.
            if scratch.contains('%') {
                push_info_string(out, &variant_model::csq::unescape_value(scratch));
            } else {
                push_info_string(out, scratch);
            }
        }
    }
    if let Some(bcsq) = &annotated.bcsq {
        key(out, b"BCSQ=");
        for (i, entry) in bcsq.split(',').enumerate() {
            if i > 0 {
                out.push(b',');
            }
            push_info_string(out, entry);
        }
    }
    out[tail_start..].rotate_left(tail_len);
    Ok(())
}

/// Appends an INFO string value percent-encoded as the VCF writer encodes
/// it (VCF 4.3+ section 1.2): control characters, `;`, `=`, `%`, `,` and
/// every non-ASCII byte become `%XX`.
fn push_info_string(out: &mut Vec<u8>, value: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let special = |b: u8| !(0x20..0x7f).contains(&b) || matches!(b, b';' | b'=' | b'%' | b',');
    let bytes = value.as_bytes();
    if !bytes.iter().any(|&b| special(b)) {
        out.extend_from_slice(bytes);
        return;
    }
    for &b in bytes {
        if special(b) {
            out.extend_from_slice(&[b'%', HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
        } else {
            out.push(b);
        }
    }
}

#[cfg(test)]
mod tests {
    use noodles::core::Position;
    use noodles::vcf::variant::RecordBuf;
    use variant_model::Strand;

    use super::*;
    use crate::consequence::transcript_seq::tests::{contig, transcript};
    use crate::record::RecordData;

    fn record(pos: u64, r: &str, a: &str) -> NormalisedRecord {
        NormalisedRecord {
            line: pos,
            data: RecordData::from_parsed(
                Box::new(
                    RecordBuf::builder()
                        .set_reference_sequence_name("1")
                        .set_variant_start(Position::try_from(pos as usize).unwrap())
                        .set_reference_bases(r)
                        .set_alternate_bases(vec![a.to_string()].into())
                        .build(),
                ),
                None,
            ),
            allele: GenomicAllele::new("1", pos, r, a),
            original: None,
            flags: Vec::new(),
        }
    }

    /// Two genes far apart: `A` at 1..18 and `B` at 20001..20018 (same
    /// coding sequence ATG GCC AAA GGG TTT TAA).
    fn annotator() -> Annotator {
        let cds = "ATGGCCAAAGGGTTTTAA";
        let mut seq = String::from(cds);
        seq.push_str(&"C".repeat(20_000 - cds.len()));
        seq.push_str(cds);
        seq.push_str(&"C".repeat(100));
        let model = GeneModel::from_transcripts([
            transcript("A", Strand::Forward, &[(1, 18)], Some((1, 18))),
            transcript(
                "B",
                Strand::Forward,
                &[(20_001, 20_018)],
                Some((20_001, 20_018)),
            ),
        ]);
        let sequences: HashMap<String, Arc<ContigSequence>> =
            [("1".to_string(), contig("1", &seq))].into_iter().collect();
        Annotator::with_sequences(
            Arc::new(model),
            Arc::new(sequences),
            AnnotateOptions {
                upstream_distance: 5000,
                downstream_distance: 5000,
                bcsq: true,
                bcsq_brief: 0,
                bcsq_local: false,
                pick_order: PickOrder::default(),
                samples: 0,
            },
        )
    }

    #[test]
    fn blocks_are_held_until_closed_and_keep_order() {
        let mut a = annotator();
        let first = a
            .annotate(vec![record(4, "G", "T"), record(5, "C", "A")])
            .unwrap();
        // Both could still combine with later records of gene A.
        assert!(first.is_empty());
        let second = a
            .annotate(vec![record(20_005, "C", "A"), record(30_000, "C", "G")])
            .unwrap();
        let positions: Vec<u64> = second.iter().map(|r| r.normalised.allele.pos).collect();
        assert_eq!(positions, [4, 5, 20_005]);
        assert_eq!(
            second[0].bcsq.as_deref(),
            Some("missense|SYM_A|A|protein_coding|+|2A>2Y|4G>T+5C>A")
        );
        assert_eq!(second[1].bcsq.as_deref(), Some("@4"));
        assert_eq!(
            second[2].bcsq.as_deref(),
            Some("missense|SYM_B|B|protein_coding|+|2A>2D|20005C>A")
        );
        let last = a.finish().unwrap();
        assert_eq!(last.len(), 1);
        // Far from both genes: intergenic, picked, no BCSQ.
        let c = &last[0].consequences;
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].consequences, [SoTerm::IntergenicVariant]);
        assert!(c[0].pick);
        assert_eq!(last[0].bcsq, None);
        assert!(a.finish().unwrap().is_empty());
    }

    /// A transcript not in the cache (which build_transcripts should have
    /// filled) is built on the spot: the same entries, none dropped.
    #[test]
    fn uncached_transcripts_are_built_not_dropped() {
        let mut a = annotator();
        let r = record(5, "C", "A");
        let mut out = a.annotate(vec![r.clone()]).unwrap();
        out.extend(a.finish().unwrap());
        let cached = &out[0].consequences;
        assert_eq!(cached.len(), 1);

        let fresh = annotator();
        assert!(fresh.transcripts.is_empty());
        let v = Variant::from_allele(&r.allele).unwrap();
        let contig = fresh.contig("1", 5).unwrap();
        let flanks = Flanks {
            upstream: 5000,
            downstream: 5000,
        };
        let built = fresh.consequences(&r, &v, &contig, fresh.flank(), flanks);
        assert_eq!(&built, cached);
    }

    #[test]
    fn csq_entries_per_transcript_with_one_pick() {
        let mut a = annotator();
        let mut out = a.annotate(vec![record(5, "C", "A")]).unwrap();
        out.extend(a.finish().unwrap());
        let c = &out[0].consequences;
        // Gene A (missense); gene B is 20 kb away, beyond 5 kb.
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].consequences, [SoTerm::MissenseVariant]);
        assert_eq!(c[0].allele, "A");
        assert_eq!(c[0].hgvsg.as_deref(), Some("1:g.5C>A"));
        assert_eq!(c[0].variant_class.as_deref(), Some("SNV"));
        assert!(c[0].pick);
        let header: Header =
            "##fileformat=VCFv4.3\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
                .parse()
                .unwrap();
        let record = into_output_record(&header, out.remove(0)).unwrap();
        let csq = record.info().get("CSQ").unwrap().unwrap();
        let Value::Array(Array::String(entries)) = csq else {
            panic!("CSQ is not a list of strings")
        };
        assert_eq!(entries.len(), 1);
        let entry = entries[0].as_deref().unwrap();
        assert!(entry.starts_with("A|missense_variant|MODERATE|SYM_A|GENE_A|Transcript|A.1|"));
        assert!(record.info().get("BCSQ").is_some());
    }

    /// `write_output_record` must give exactly the bytes of the general
    /// path (`into_output_record` + the noodles VCF writer), whatever the
    /// values contain and wherever INFO sits in the line.
    #[test]
    fn fast_csq_line_equals_the_writer_output() {
        use noodles::vcf::variant::record_buf::info::field::Value as InfoValue;
        let meta = "##fileformat=VCFv4.3\n##contig=<ID=1,length=1000>\n\
            ##INFO=<ID=DP,Number=1,Type=Integer,Description=\"d\">\n\
            ##FORMAT=<ID=GT,Number=1,Type=String,Description=\"g\">\n\
            #CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO";
        let sites_only: Header = format!("{meta}\n").parse().unwrap();
        let with_sample: Header = format!("{meta}\tFORMAT\tS1\n").parse().unwrap();
        let odd = [
            "plain",
            "semi;colon",
            "eq=uals",
            "per%cent",
            "lit%3Beral%3D",
            "com,ma|pipe",
            "sp ace\ttab",
            "ctl\u{1}x\u{7f}",
            "non-ascii µ\u{a0}é",
            "%",
            "a%3",
        ];
        let entry = |symbol: &str, pick: bool| TranscriptConsequence {
            allele: "T".into(),
            consequences: vec![SoTerm::MissenseVariant, SoTerm::SpliceRegionVariant],
            impact: Some(SoTerm::MissenseVariant.impact()),
            symbol: Some(symbol.into()),
            gene: Some("G1".into()),
            feature: Some("T1.1".into()),
            hgvsp: Some("P1:p.Thr368=".into()),
            cds_position: Some(variant_model::consequence::PositionRange {
                start: None,
                end: Some(12),
            }),
            existing_variation: vec!["rs1".into(), symbol.into()],
            flags: vec!["cds_start_NF".into()],
            distance: Some(17),
            hgvs_offset: Some(-3),
            pick,
            ..Default::default()
        };
        let with_samples = |r: RecordBuf| {
            let keys: noodles::vcf::variant::record_buf::samples::Keys =
                [String::from("GT")].into_iter().collect();
            let values = vec![vec![Some(
                noodles::vcf::variant::record_buf::samples::sample::Value::from("0/1"),
            )]];
            let mut r = r;
            *r.samples_mut() = noodles::vcf::variant::record_buf::Samples::new(keys, values);
            r
        };
        let mut cases = Vec::new();
        for (i, symbol) in odd.iter().enumerate() {
            for info in [false, true] {
                for samples in [false, true] {
                    for bcsq in [None, Some(format!("missense|{symbol}|T1|+|1A>1T|5C>A,@7"))] {
                        let mut r = record(5 + i as u64, "C", "A");
                        let mut parsed = *r.data.into_parsed(&sites_only).unwrap();
                        if info {
                            parsed
                                .info_mut()
                                .insert("DP".into(), Some(InfoValue::Integer(9)));
                        }
                        if samples {
                            parsed = with_samples(parsed);
                        }
                        r.data = RecordData::from_parsed(Box::new(parsed), None);
                        let consequences = if i % 3 == 2 {
                            Vec::new()
                        } else {
                            vec![entry(symbol, true), entry("other", false)]
                        };
                        cases.push(AnnotatedRecord {
                            normalised: r,
                            consequences,
                            bcsq: bcsq.clone(),
                        });
                    }
                }
            }
        }
        // Records that already carry CSQ, and BCSQ the writer refuses or
        // encodes specially, take the general path.
        let mut existing = record(9, "C", "A");
        existing
            .data
            .edit(&sites_only)
            .unwrap()
            .info_mut()
            .insert("CSQ".into(), Some(InfoValue::String("old".into())));
        cases.push(AnnotatedRecord {
            normalised: existing,
            consequences: vec![entry("x", true)],
            bcsq: Some(".".into()),
        });
        // Records still kept as their input line: written as read, with
        // CSQ added (the general path parses the line).
        for line in [
            "1\t5\t.\tC\tA\t.\t.\tDP=9",
            "1\t5\trs1\tC\tA\t50\tPASS\t.\tGT\t0/1",
            "1\t5\t.\tC\tA\t.\t.\tDP=9;CSQ=old",
            "1\t5\t.\tC\tA\t.\t.\tBCSQ",
        ] {
            let mut r = record(5, "C", "A");
            r.data = RecordData::from_line(line.into());
            cases.push(AnnotatedRecord {
                normalised: r,
                consequences: vec![entry("line", true)],
                bcsq: None,
            });
        }
        let mut scratch = String::new();
        for case in cases {
            let has_samples = match case.normalised.data.line() {
                Some(line) => line.split('\t').count() > 8,
                None => !case
                    .normalised
                    .data
                    .as_parsed()
                    .unwrap()
                    .samples()
                    .is_empty(),
            };
            let header = if !has_samples {
                &sites_only
            } else {
                &with_sample
            };
            let mut expected = Vec::new();
            let general = crate::output::format_record(
                header,
                &into_output_record(header, case.clone()).unwrap(),
                &mut expected,
            );
            let mut got = b"previous line\n".to_vec();
            write_output_record(header, case, &mut got, &mut scratch).unwrap();
            general.unwrap();
            assert_eq!(
                String::from_utf8_lossy(&got[b"previous line\n".len()..]),
                String::from_utf8_lossy(&expected)
            );
        }
    }

    #[test]
    fn vep_allele_notation() {
        let a = |r: &str, x: &str| vep_allele(&GenomicAllele::new("1", 1, r, x));
        assert_eq!(a("A", "G"), "G");
        assert_eq!(a("AT", "A"), "-");
        assert_eq!(a("A", "AT"), "T");
        assert_eq!(a("AC", "GT"), "GT");
        assert_eq!(a("A", "<DEL>"), "<DEL>");
    }
}
