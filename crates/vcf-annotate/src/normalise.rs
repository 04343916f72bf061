//! Normalisation: split multi-allelic records (Number=A/R/G fields split
//! correctly), trim shared bases, left-align indels, check REF against the
//! reference; and the sort window that restores coordinate order.
//!
//! The behaviour follows `bcftools norm -m- -f REF`: records are split
//! first (GT alleles other than the kept ALT become REF), then each
//! biallelic record has its REF checked and is realigned. The original
//! record goes to `INFO/ORIGINAL` (`CHROM|POS|REF|ALT[|ALT_INDEX]`, the
//! layout of `bcftools norm --old-rec-tag`).

use std::collections::{HashMap, VecDeque};

use noodles::core::Position;
use noodles::vcf::Header;
use noodles::vcf::header::record::value::map::{format, info};
use noodles::vcf::variant::RecordBuf;
use noodles::vcf::variant::record_buf::info::field::Value as InfoValue;
use noodles::vcf::variant::record_buf::info::field::value::Array as InfoArray;
use noodles::vcf::variant::record_buf::samples::Samples;
use noodles::vcf::variant::record_buf::samples::sample::Value as SampleValue;
use noodles::vcf::variant::record_buf::samples::sample::value::Array as SampleArray;
use variant_model::{GenomicAllele, OriginalRecord};

use crate::contigs::{UNKNOWN_CONTIG_TAG, UnknownContigs};
use crate::record::{InputRecord, NormFlag, NormalisedRecord, RecordData};
use crate::reference::{ContigSequence, Reference};
use variant_model::contig_alias::ContigMap;

/// INFO flag set on records whose REF disagrees with the reference
/// (`--ref-mismatch flag`).
pub const REF_MISMATCH_TAG: &str = "REF_MISMATCH";

#[derive(Debug, thiserror::Error)]
pub enum NormaliseError {
    #[error("line {line}: {message}")]
    Invalid { line: u64, message: String },
}

impl NormaliseError {
    pub fn line(&self) -> u64 {
        match self {
            NormaliseError::Invalid { line, .. } => *line,
        }
    }

    pub fn message(&self) -> &str {
        match self {
            NormaliseError::Invalid { message, .. } => message,
        }
    }
}

/// What to do when REF disagrees with the reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum RefMismatch {
    /// Stop with an error naming the line.
    #[default]
    Error,
    /// Keep the record unnormalised, flag it (INFO/REF_MISMATCH) and count it.
    Flag,
    /// Leave the record out of the output and count it (`bcftools norm -c x`).
    Exclude,
}

#[derive(Debug, Clone)]
pub struct NormaliseOptions {
    pub ref_mismatch: RefMismatch,
    /// INFO tag recording the original record (`ORIGINAL`).
    pub original_tag: String,
    /// Input contig names → the reference's names (`None`: names are
    /// used as they are).
    pub contig_map: Option<ContigMap>,
    /// Records on contigs the reference lacks: error, or kept unchanged.
    pub unknown_contigs: UnknownContigs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Split {
    /// One value per ALT.
    A,
    /// One value per allele, REF included.
    R,
    /// One value per genotype.
    G,
}

pub struct Normaliser<'a> {
    /// The input header, to parse the records kept as lines that change.
    header: Header,
    /// `None`: split only, no REF check or realignment.
    reference: Option<&'a Reference>,
    options: NormaliseOptions,
    info_split: HashMap<String, Split>,
    format_split: HashMap<String, Split>,
}

impl<'a> Normaliser<'a> {
    pub fn new(header: &Header, reference: &'a Reference, options: NormaliseOptions) -> Self {
        Self::build(header, Some(reference), options)
    }

    /// Splits multi-allelic records without a reference (no REF check, no
    /// trimming or left-alignment), like `bcftools norm -m-` without `-f`.
    pub fn split_only(header: &Header, options: NormaliseOptions) -> Self {
        Self::build(header, None, options)
    }

    fn build(header: &Header, reference: Option<&'a Reference>, options: NormaliseOptions) -> Self {
        let info_split = header
            .infos()
            .iter()
            .filter_map(|(key, map)| {
                let split = match map.number() {
                    info::Number::AlternateBases => Split::A,
                    info::Number::ReferenceAlternateBases => Split::R,
                    info::Number::Samples => Split::G,
                    _ => return None,
                };
                Some((key.clone(), split))
            })
            .collect();
        let format_split = header
            .formats()
            .iter()
            .filter_map(|(key, map)| {
                let split = match map.number() {
                    format::Number::AlternateBases => Split::A,
                    format::Number::ReferenceAlternateBases => Split::R,
                    format::Number::Samples => Split::G,
                    _ => return None,
                };
                Some((key.clone(), split))
            })
            .collect();
        Self {
            header: header.clone(),
            reference,
            options,
            info_split,
            format_split,
        }
    }

    /// Header lines for the INFO fields normalisation writes.
    pub fn add_header_lines(&self, header: &mut Header) {
        use noodles::vcf::header::record::value::Map;
        use noodles::vcf::header::record::value::map::Info;
        if !header
            .infos()
            .contains_key(self.options.original_tag.as_str())
        {
            header.infos_mut().insert(
                self.options.original_tag.clone(),
                Map::<Info>::new(
                    info::Number::Count(1),
                    info::Type::String,
                    "Original variant. Format: CHR|POS|REF|ALT|USED_ALT_IDX",
                ),
            );
        }
        if self.reference.is_some()
            && self.options.unknown_contigs == UnknownContigs::Keep
            && !header.infos().contains_key(UNKNOWN_CONTIG_TAG)
        {
            header.infos_mut().insert(
                UNKNOWN_CONTIG_TAG.to_string(),
                Map::<Info>::new(
                    info::Number::Count(0),
                    info::Type::Flag,
                    "Contig not in the reference genome: the record was neither normalised nor annotated",
                ),
            );
        }
        if self.options.ref_mismatch == RefMismatch::Flag
            && !header.infos().contains_key(REF_MISMATCH_TAG)
        {
            header.infos_mut().insert(
                REF_MISMATCH_TAG.to_string(),
                Map::<Info>::new(
                    info::Number::Count(0),
                    info::Type::Flag,
                    "REF does not match the reference genome; the record was not normalised",
                ),
            );
        }
    }

    /// Splits and normalises one input record into biallelic records.
    /// With `--ref-mismatch exclude`, a mismatching record yields a single
    /// record flagged [`NormFlag::RefMismatch`] that the caller counts and
    /// leaves out.
    pub fn normalise(&self, input: InputRecord) -> Result<Vec<NormalisedRecord>, NormaliseError> {
        let line = input.line;
        let mut data = input.data;
        if let Some(map) = &self.options.contig_map
            && let Some(target) = map.resolve(data.chrom())
            && target != data.chrom()
        {
            let target = target.to_string();
            *self.edit(line, &mut data)?.reference_sequence_name_mut() = target;
        }
        if self.options.unknown_contigs == UnknownContigs::Error
            && self.contig_unknown(data.chrom())
        {
            return Err(self.unknown_contig(line, data.chrom()));
        }
        if data.alt_count() <= 1 {
            // Most records: the original is made only if normalisation
            // changes the record.
            return Ok(vec![self.normalise_biallelic(
                line,
                data,
                None,
                Vec::new(),
            )?]);
        }
        let original = original_of(&data);
        let record = data
            .into_parsed(&self.header)
            .map_err(|e| Self::unparsable(line, &e))?;
        let alt_count = original.alt_alleles.len();
        let mut out = Vec::with_capacity(alt_count);
        for alt_index in 1..=alt_count {
            let mut split = self.split(&record, alt_index);
            let mut original = original.clone();
            original.alt_index = alt_index;
            self.set_original(&mut split, &original);
            out.push(self.normalise_biallelic(
                line,
                RecordData::from_parsed(Box::new(split), None),
                Some(&original),
                vec![NormFlag::Split],
            )?);
        }
        Ok(out)
    }

    /// The record to change (parsed first if it is still its input line).
    fn edit<'r>(
        &self,
        line: u64,
        data: &'r mut RecordData,
    ) -> Result<&'r mut RecordBuf, NormaliseError> {
        data.edit(&self.header)
            .map_err(|e| Self::unparsable(line, &e))
    }

    /// A line validation accepted but noodles cannot parse (the error input
    /// reading gives when it parses every line).
    fn unparsable(line: u64, e: &std::io::Error) -> NormaliseError {
        Self::invalid(line, format!("cannot parse the record: {e}"))
    }

    /// A record on a contig the reference lacks: the error of
    /// `--unknown-contigs error`.
    fn unknown_contig(&self, line: u64, chrom: &str) -> NormaliseError {
        let hint = if self
            .options
            .contig_map
            .as_ref()
            .is_some_and(|m| m.aliases().is_some())
        {
            "nor is any alias of it"
        } else {
            "map other naming styles with --contig-aliases FILE"
        };
        Self::invalid(
            line,
            format!(
                "contig `{chrom}` is not in the reference FASTA {} ({hint}; --unknown-contigs keep carries such records through unannotated)",
                self.reference
                    .map(|r| r.path().display().to_string())
                    .unwrap_or_default()
            ),
        )
    }

    /// The contig is absent from the reference (never with `split_only`).
    fn contig_unknown(&self, chrom: &str) -> bool {
        self.reference
            .is_some_and(|r| r.contig_length(chrom).is_none())
    }

    fn set_original(&self, record: &mut RecordBuf, original: &OriginalRecord) {
        // Like bcftools: an existing tag (an earlier normalisation) is kept.
        // The ALT list keeps its raw commas, as bcftools writes it (noodles
        // would percent-encode a comma inside one string).
        if record
            .info()
            .get(self.options.original_tag.as_str())
            .is_none()
        {
            let value = original.to_info_value();
            let parts = value.split(',').map(|p| Some(p.to_string())).collect();
            record.info_mut().insert(
                self.options.original_tag.clone(),
                Some(InfoValue::Array(InfoArray::String(parts))),
            );
        }
    }

    fn invalid(line: u64, message: String) -> NormaliseError {
        NormaliseError::Invalid { line, message }
    }

    /// The biallelic record for ALT `alt_index` (1-based).
    fn split(&self, record: &RecordBuf, alt_index: usize) -> RecordBuf {
        let alleles = record.alternate_bases().as_ref().len() + 1;
        let mut out = record.clone();
        *out.alternate_bases_mut() =
            vec![record.alternate_bases().as_ref()[alt_index - 1].clone()].into();

        for (key, value) in out.info_mut().as_mut().iter_mut() {
            let Some(&split) = self.info_split.get(key.as_str()) else {
                continue;
            };
            let Some(v) = value.as_mut() else { continue };
            match picks_for(split, alleles, alt_index, InfoLen::of(v), 2) {
                Some(picks) => pick_info(v, &picks),
                // Only reachable with --lenient (validation checks counts):
                // like bcftools, keep what can be picked, else missing.
                None => pick_info(v, &fallback_picks(split, alt_index, InfoLen::of(v))),
            }
        }

        let keys = out.samples().keys().clone();
        if !keys.as_ref().is_empty() {
            let splits: Vec<Option<Split>> = keys
                .as_ref()
                .iter()
                .map(|k| self.format_split.get(k.as_str()).copied())
                .collect();
            let gt_index = keys.as_ref().get_index_of("GT");
            let mut samples: Vec<Vec<Option<SampleValue>>> = Vec::new();
            for sample in record.samples().values() {
                let mut values = sample.values().to_vec();
                let ploidy = gt_index.and_then(|i| values.get(i)).and_then(|v| match v {
                    Some(SampleValue::Genotype(g)) => Some(g.as_ref().len()),
                    _ => None,
                });
                for (i, value) in values.iter_mut().enumerate() {
                    let Some(v) = value.as_mut() else { continue };
                    if Some(i) == gt_index {
                        if let SampleValue::Genotype(genotype) = v {
                            for allele in genotype.as_mut().iter_mut() {
                                if let Some(p) = allele.position() {
                                    *allele.position_mut() =
                                        Some(if p == alt_index { 1 } else { 0 });
                                }
                            }
                        }
                        continue;
                    }
                    let Some(split) = splits[i] else { continue };
                    let len = SampleLen::of(v);
                    if len == 1 && is_missing_sample(v) {
                        continue;
                    }
                    let picks = picks_for(split, alleles, alt_index, len, ploidy.unwrap_or(2))
                        .unwrap_or_else(|| fallback_picks(split, alt_index, len));
                    pick_sample(v, &picks);
                }
                samples.push(values);
            }
            *out.samples_mut() = Samples::new(keys, samples);
        }
        out
    }

    /// Checks and normalises a record with one ALT. `original` is the
    /// multi-allelic record it was split from; `None` for an input record
    /// with one ALT, whose original is then taken from it if it changes.
    fn normalise_biallelic(
        &self,
        line: u64,
        mut data: RecordData,
        original: Option<&OriginalRecord>,
        mut flags: Vec<NormFlag>,
    ) -> Result<NormalisedRecord, NormaliseError> {
        let chrom = data.chrom().to_string();
        let pos = data.pos();
        let reference_bases = data.reference_bases().to_string();
        let alt = data.first_alt().map(str::to_string);
        if self.contig_unknown(&chrom) {
            // Kept (`--unknown-contigs keep`): split, but not checked,
            // trimmed or left-aligned without a reference sequence.
            self.edit(line, &mut data)?
                .info_mut()
                .insert(UNKNOWN_CONTIG_TAG.to_string(), Some(InfoValue::Flag));
            flags.push(NormFlag::UnknownContig);
            return Ok(finish(
                line,
                data,
                original,
                flags,
                chrom,
                pos,
                reference_bases,
                alt,
            ));
        }
        let sequence_ref = is_sequence(&reference_bases);
        let normalisable = sequence_ref
            && alt
                .as_deref()
                .is_some_and(|a| is_sequence(a) && !a.eq_ignore_ascii_case(&reference_bases));

        if let Some(reference) = self.reference
            && sequence_ref
            && pos > 0
        {
            let contig = reference
                .contig(&chrom)
                .map_err(|e| Self::invalid(line, e.to_string()))?;
            if let Some(problem) = ref_mismatch(&contig, pos, &reference_bases) {
                match self.options.ref_mismatch {
                    RefMismatch::Error => {
                        return Err(Self::invalid(
                            line,
                            format!("{problem} (use --ref-mismatch flag or exclude to go on)"),
                        ));
                    }
                    RefMismatch::Flag => {
                        self.edit(line, &mut data)?
                            .info_mut()
                            .insert(REF_MISMATCH_TAG.to_string(), Some(InfoValue::Flag));
                    }
                    // Left out by the caller: nothing to change.
                    RefMismatch::Exclude => {}
                }
                flags.push(NormFlag::RefMismatch);
                return Ok(finish(
                    line,
                    data,
                    original,
                    flags,
                    chrom,
                    pos,
                    reference_bases,
                    alt,
                ));
            }
            // A SNV in upper case is already normal: skip realigning it
            // (most records; realign would return it unchanged).
            let upper_snv = matches!(
                (reference_bases.as_bytes(), alt.as_deref().map(str::as_bytes)),
                ([r], Some([a])) if r.is_ascii_uppercase() && a.is_ascii_uppercase()
            );
            if normalisable && !upper_snv {
                let alt_bases = alt.clone().unwrap_or_default();
                let (new_pos, new_ref, new_alt) =
                    realign(&contig, pos, &reference_bases, &alt_bases);
                if new_pos != pos || new_ref != reference_bases || new_alt != alt_bases {
                    // Taken before the record changes below.
                    let unsplit;
                    let original = match original {
                        Some(original) => original,
                        None => {
                            unsplit = original_of(&data);
                            &unsplit
                        }
                    };
                    if new_pos < pos {
                        flags.push(NormFlag::LeftAligned);
                    }
                    if new_ref.len() + new_alt.len() < reference_bases.len() + alt_bases.len()
                        || new_pos >= pos
                    {
                        flags.push(NormFlag::Trimmed);
                    }
                    let old_end = pos + reference_bases.len() as u64 - 1;
                    let new_end = new_pos + new_ref.len() as u64 - 1;
                    let record = self.edit(line, &mut data)?;
                    if new_end != old_end
                        && let Some(Some(InfoValue::Integer(_))) = record.info().get("END")
                    {
                        record
                            .info_mut()
                            .insert("END".to_string(), Some(InfoValue::Integer(new_end as i32)));
                    }
                    *record.variant_start_mut() = Position::new(new_pos as usize);
                    *record.reference_bases_mut() = new_ref.clone();
                    *record.alternate_bases_mut() = vec![new_alt.clone()].into();
                    self.set_original(record, original);
                    flags.sort();
                    flags.dedup();
                    return Ok(finish(
                        line,
                        data,
                        Some(original),
                        flags,
                        chrom,
                        new_pos,
                        new_ref,
                        Some(new_alt),
                    ));
                }
            }
        }
        if !normalisable {
            flags.push(NormFlag::NotNormalisable);
        }
        Ok(finish(
            line,
            data,
            original,
            flags,
            chrom,
            pos,
            reference_bases,
            alt,
        ))
    }
}

/// The record as it came in (after contig renaming), for INFO/ORIGINAL
/// and the JSON record's `original`.
fn original_of(data: &RecordData) -> OriginalRecord {
    OriginalRecord {
        chrom: data.chrom().to_string(),
        pos: data.pos(),
        ref_allele: data.reference_bases().to_string(),
        alt_alleles: data.alternate_bases(),
        alt_index: 1,
    }
}

#[allow(clippy::too_many_arguments)]
fn finish(
    line: u64,
    data: RecordData,
    original: Option<&OriginalRecord>,
    flags: Vec<NormFlag>,
    chrom: String,
    pos: u64,
    reference_bases: String,
    alt: Option<String>,
) -> NormalisedRecord {
    let changed = flags.iter().any(|f| {
        matches!(
            f,
            NormFlag::Split | NormFlag::Trimmed | NormFlag::LeftAligned
        )
    });
    NormalisedRecord {
        line,
        allele: GenomicAllele::new(
            chrom,
            pos,
            reference_bases,
            alt.unwrap_or_else(|| ".".into()),
        ),
        data,
        original: if changed {
            debug_assert!(original.is_some(), "a changed record has its original");
            original.cloned()
        } else {
            None
        },
        flags,
    }
}

/// Bases only (no symbolic, breakend, `*` or missing allele).
fn is_sequence(allele: &str) -> bool {
    !allele.is_empty()
        && allele
            .bytes()
            .all(|b| matches!(b.to_ascii_uppercase(), b'A' | b'C' | b'G' | b'T' | b'N'))
}

/// Why REF disagrees with the reference, or `None` when it agrees. Like
/// bcftools, reference IUPAC codes count as N, and an N in REF only
/// matches an N in the reference.
fn ref_mismatch(contig: &ContigSequence, pos: u64, reference_bases: &str) -> Option<String> {
    let end = pos + reference_bases.len() as u64 - 1;
    let Some(expected) = contig.slice(pos, end) else {
        return Some(format!(
            "REF {reference_bases} at {}:{pos} extends past the end of the contig ({} bases)",
            contig.name,
            contig.len()
        ));
    };
    let agrees = expected
        .iter()
        .zip(reference_bases.bytes())
        .all(|(&r, v)| iupac_to_n(r) == v.to_ascii_uppercase());
    (!agrees).then(|| {
        format!(
            "REF {reference_bases} does not match the reference {} at {}:{pos}",
            String::from_utf8_lossy(expected),
            contig.name
        )
    })
}

fn iupac_to_n(base: u8) -> u8 {
    match base {
        b'A' | b'C' | b'G' | b'T' | b'N' => base,
        _ => b'N',
    }
}

/// Trims shared trailing bases, shifting left through the reference while
/// an allele would become empty (left-alignment), then trims shared
/// leading bases keeping one anchor base. REF must match the reference.
pub fn realign(
    contig: &ContigSequence,
    pos: u64,
    reference_bases: &str,
    alt: &str,
) -> (u64, String, String) {
    let mut r: VecDeque<u8> = reference_bases
        .bytes()
        .map(|b| b.to_ascii_uppercase())
        .collect();
    let mut a: VecDeque<u8> = alt.bytes().map(|b| b.to_ascii_uppercase()).collect();
    let mut pos = pos;
    loop {
        // At the contig start there is no base to pad with: stop while
        // both alleles still have one.
        let can_trim = (r.len() > 1 && a.len() > 1) || pos > 1;
        if !r.is_empty() && !a.is_empty() && r.back() == a.back() && can_trim {
            r.pop_back();
            a.pop_back();
        } else if (r.is_empty() || a.is_empty()) && pos > 1 {
            pos -= 1;
            let base = iupac_to_n(contig.sequence[(pos - 1) as usize]);
            r.push_front(base);
            a.push_front(base);
        } else {
            break;
        }
    }
    while r.len() >= 2 && a.len() >= 2 && r.front() == a.front() {
        r.pop_front();
        a.pop_front();
        pos += 1;
    }
    (
        pos,
        String::from_utf8(r.into_iter().collect()).expect("bases are ASCII"),
        String::from_utf8(a.into_iter().collect()).expect("bases are ASCII"),
    )
}

/// Picks for a field whose count does not fit its Number (accepted by
/// `--lenient`): the diploid layout when every index exists, otherwise an
/// empty list, which makes the value missing.
fn fallback_picks(split: Split, alt_index: usize, len: usize) -> Vec<usize> {
    let wanted = match split {
        Split::A => vec![alt_index - 1],
        Split::R => vec![0, alt_index],
        Split::G => vec![
            genotype_index(0, 0),
            genotype_index(0, alt_index),
            genotype_index(alt_index, alt_index),
        ],
    };
    if wanted.iter().all(|&i| i < len) {
        wanted
    } else {
        Vec::new()
    }
}

/// Index of genotype `a/b` (a <= b) in VCF order.
fn genotype_index(a: usize, b: usize) -> usize {
    b * (b + 1) / 2 + a
}

/// Which values to keep for ALT `alt_index` of a field with `len` values;
/// `None` when `len` does not fit the Number.
fn picks_for(
    split: Split,
    alleles: usize,
    alt_index: usize,
    len: usize,
    ploidy: usize,
) -> Option<Vec<usize>> {
    match split {
        Split::A if len == alleles - 1 => Some(vec![alt_index - 1]),
        Split::R if len == alleles => Some(vec![0, alt_index]),
        Split::G if len == alleles && ploidy == 1 => Some(vec![0, alt_index]),
        Split::G if len == alleles * (alleles + 1) / 2 => Some(vec![
            genotype_index(0, 0),
            genotype_index(0, alt_index),
            genotype_index(alt_index, alt_index),
        ]),
        Split::G if len == alleles => Some(vec![0, alt_index]),
        _ => None,
    }
}

struct InfoLen;
impl InfoLen {
    fn of(v: &InfoValue) -> usize {
        match v {
            InfoValue::Array(InfoArray::Integer(x)) => x.len(),
            InfoValue::Array(InfoArray::Float(x)) => x.len(),
            InfoValue::Array(InfoArray::Character(x)) => x.len(),
            InfoValue::Array(InfoArray::String(x)) => x.len(),
            _ => 1,
        }
    }
}

struct SampleLen;
impl SampleLen {
    fn of(v: &SampleValue) -> usize {
        match v {
            SampleValue::Array(SampleArray::Integer(x)) => x.len(),
            SampleValue::Array(SampleArray::Float(x)) => x.len(),
            SampleValue::Array(SampleArray::Character(x)) => x.len(),
            SampleValue::Array(SampleArray::String(x)) => x.len(),
            _ => 1,
        }
    }
}

fn is_missing_sample(v: &SampleValue) -> bool {
    match v {
        SampleValue::Array(SampleArray::Integer(x)) => x.iter().all(Option::is_none),
        SampleValue::Array(SampleArray::Float(x)) => x.iter().all(Option::is_none),
        SampleValue::Array(SampleArray::Character(x)) => x.iter().all(Option::is_none),
        SampleValue::Array(SampleArray::String(x)) => x.iter().all(Option::is_none),
        _ => false,
    }
}

/// The picked values; no picks means one missing value.
fn pick<T: Clone>(values: &[Option<T>], picks: &[usize]) -> Vec<Option<T>> {
    if picks.is_empty() {
        return vec![None];
    }
    picks.iter().map(|&i| values[i].clone()).collect()
}

fn pick_info(v: &mut InfoValue, picks: &[usize]) {
    let picked = match v {
        InfoValue::Array(InfoArray::Integer(x)) => {
            InfoValue::Array(InfoArray::Integer(pick(x, picks)))
        }
        InfoValue::Array(InfoArray::Float(x)) => InfoValue::Array(InfoArray::Float(pick(x, picks))),
        InfoValue::Array(InfoArray::Character(x)) => {
            InfoValue::Array(InfoArray::Character(pick(x, picks)))
        }
        InfoValue::Array(InfoArray::String(x)) => {
            InfoValue::Array(InfoArray::String(pick(x, picks)))
        }
        // A single value is already the one to keep, unless none fits.
        InfoValue::String(_) if picks.is_empty() => InfoValue::Array(InfoArray::String(vec![None])),
        InfoValue::Integer(_) if picks.is_empty() => {
            InfoValue::Array(InfoArray::Integer(vec![None]))
        }
        InfoValue::Float(_) if picks.is_empty() => InfoValue::Array(InfoArray::Float(vec![None])),
        InfoValue::Character(_) if picks.is_empty() => {
            InfoValue::Array(InfoArray::Character(vec![None]))
        }
        _ => return,
    };
    *v = picked;
}

fn pick_sample(v: &mut SampleValue, picks: &[usize]) {
    let picked = match v {
        SampleValue::Array(SampleArray::Integer(x)) => {
            SampleValue::Array(SampleArray::Integer(pick(x, picks)))
        }
        SampleValue::Array(SampleArray::Float(x)) => {
            SampleValue::Array(SampleArray::Float(pick(x, picks)))
        }
        SampleValue::Array(SampleArray::Character(x)) => {
            SampleValue::Array(SampleArray::Character(pick(x, picks)))
        }
        SampleValue::Array(SampleArray::String(x)) => {
            SampleValue::Array(SampleArray::String(pick(x, picks)))
        }
        _ => return,
    };
    *v = picked;
}

/// Restores coordinate order after left-alignment moved records back by up
/// to `window` bases (like `bcftools norm --site-win`).
pub struct SortWindow {
    window: u64,
    contig: String,
    /// Sorted by position; equal positions keep their input order.
    buffer: VecDeque<NormalisedRecord>,
    /// Records of finished contigs, ready to go.
    ready: Vec<NormalisedRecord>,
    /// Position of the last record handed out on `contig`.
    emitted: u64,
    /// Furthest position pushed on `contig`.
    furthest: u64,
    /// A record that moved back further than the window (reported by
    /// [`SortWindow::check`]).
    overflow: Option<(u64, String)>,
}

impl SortWindow {
    pub fn new(window: u64) -> Self {
        Self {
            window,
            contig: String::new(),
            buffer: VecDeque::new(),
            ready: Vec::new(),
            emitted: 0,
            furthest: 0,
            overflow: None,
        }
    }

    pub fn push(&mut self, record: NormalisedRecord) {
        if record.allele.chrom != self.contig {
            self.ready.extend(self.buffer.drain(..));
            self.contig = record.allele.chrom.clone();
            self.emitted = 0;
            self.furthest = 0;
        }
        let pos = record.allele.pos;
        if pos < self.emitted && self.overflow.is_none() {
            self.overflow = Some((
                record.line,
                format!(
                    "normalisation moved {}:{} before records already written; \
                     increase --site-window (now {})",
                    record.allele.chrom, pos, self.window
                ),
            ));
        }
        self.furthest = self.furthest.max(pos);
        // Most records come in order: append them without a search (the
        // buffer holds up to a chunk of records).
        if self.buffer.back().is_none_or(|last| last.allele.pos <= pos) {
            self.buffer.push_back(record);
        } else {
            let at = self.buffer.partition_point(|r| r.allele.pos <= pos);
            self.buffer.insert(at, record);
        }
    }

    /// An error when a record moved back beyond the window: the output
    /// would not be sorted.
    pub fn check(&self) -> Result<(), NormaliseError> {
        match &self.overflow {
            Some((line, message)) => Err(NormaliseError::Invalid {
                line: *line,
                message: message.clone(),
            }),
            None => Ok(()),
        }
    }

    /// Records that no later input can precede.
    pub fn drain_ready(&mut self) -> Vec<NormalisedRecord> {
        let mut out = std::mem::take(&mut self.ready);
        let limit = self.furthest.saturating_sub(self.window);
        // The buffer is sorted by position.
        let n = self.buffer.partition_point(|r| r.allele.pos < limit);
        if n > 0 {
            self.emitted = self.buffer[n - 1].allele.pos;
            out.reserve(n);
            out.extend(self.buffer.drain(..n));
        }
        out
    }

    pub fn finish(&mut self) -> Vec<NormalisedRecord> {
        let mut out = std::mem::take(&mut self.ready);
        if let Some(last) = self.buffer.back() {
            self.emitted = last.allele.pos;
        }
        out.extend(self.buffer.drain(..));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{InputOptions, VcfInput};

    fn contig(seq: &str) -> ContigSequence {
        ContigSequence {
            name: "1".into(),
            sequence: seq.as_bytes().to_vec(),
        }
    }

    #[test]
    fn realign_leaves_every_upper_case_snv_as_it_is() {
        // normalise_biallelic skips realign for these.
        let c = contig("GCACACACAT");
        for r in ["A", "C", "G", "T", "N"] {
            for a in ["A", "C", "G", "T", "N"] {
                if r != a {
                    for pos in [1, 5, 10] {
                        assert_eq!(realign(&c, pos, r, a), (pos, r.into(), a.into()));
                    }
                }
            }
        }
    }

    #[test]
    fn realign_left_aligns_and_trims() {
        //            1234567890
        let c = contig("GCACACACAT");
        // deletion of CA at the right end of the repeat moves to the left
        assert_eq!(realign(&c, 7, "ACA", "A"), (1, "GCA".into(), "G".into()));
        // insertion
        assert_eq!(realign(&c, 8, "C", "CAC"), (1, "G".into(), "GCA".into()));
        // shared suffix of an SNV
        assert_eq!(realign(&c, 2, "CAC", "GAC"), (2, "C".into(), "G".into()));
        // shared prefix of an MNV
        assert_eq!(realign(&c, 1, "GCA", "GTT"), (2, "CA".into(), "TT".into()));
        // nothing to do
        assert_eq!(realign(&c, 10, "T", "A"), (10, "T".into(), "A".into()));
        // at the contig start, no base to pad with: keep what we have
        assert_eq!(
            realign(&contig("AAAA"), 1, "AA", "A"),
            (1, "AA".into(), "A".into())
        );
    }

    #[test]
    fn picks_values_for_each_allele() {
        assert_eq!(picks_for(Split::A, 3, 2, 2, 2), Some(vec![1]));
        assert_eq!(picks_for(Split::R, 3, 2, 3, 2), Some(vec![0, 2]));
        // genotypes 0/0 0/1 1/1 0/2 1/2 2/2
        assert_eq!(picks_for(Split::G, 3, 2, 6, 2), Some(vec![0, 3, 5]));
        assert_eq!(picks_for(Split::G, 3, 1, 6, 2), Some(vec![0, 1, 2]));
        assert_eq!(picks_for(Split::G, 3, 2, 3, 1), Some(vec![0, 2]));
        assert_eq!(picks_for(Split::A, 3, 2, 3, 2), None);
    }

    fn records(vcf: &str) -> (Header, Vec<InputRecord>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.vcf");
        std::fs::write(&path, vcf).unwrap();
        let mut input = VcfInput::open(Some(&path), InputOptions::default()).unwrap();
        let mut all = Vec::new();
        while let Some(chunk) = input.next_chunk(100).unwrap() {
            all.extend(chunk);
        }
        (input.header().clone(), all)
    }

    fn to_line(header: &Header, record: &RecordBuf) -> String {
        use noodles::vcf::variant::io::Write as _;
        let mut buf = Vec::new();
        noodles::vcf::io::Writer::new(&mut buf)
            .write_variant_record(header, record)
            .unwrap();
        String::from_utf8(buf).unwrap().trim_end().to_string()
    }

    #[test]
    fn splits_a_r_g_fields_and_recodes_genotypes() {
        let (header, input) = records(
            "##fileformat=VCFv4.2\n\
             ##INFO=<ID=AC,Number=A,Type=Integer,Description=\"x\">\n\
             ##INFO=<ID=RS,Number=R,Type=String,Description=\"x\">\n\
             ##FORMAT=<ID=GT,Number=1,Type=String,Description=\"x\">\n\
             ##FORMAT=<ID=PL,Number=G,Type=Integer,Description=\"x\">\n\
             ##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"x\">\n\
             #CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\ts1\ts2\n\
             1\t5\t.\tA\tC,G\t9\tPASS\tAC=3,4;RS=r,c,g\tGT:PL:AD\t1/2:1,2,3,4,5,6:7,8,9\t2:1,2,3:.\n",
        );
        let options = NormaliseOptions {
            contig_map: None,
            unknown_contigs: UnknownContigs::Error,
            ref_mismatch: RefMismatch::Error,
            original_tag: "ORIGINAL".into(),
        };
        let normaliser = Normaliser::split_only(&header, options);
        let out = normaliser.normalise(input[0].clone()).unwrap();
        assert_eq!(out.len(), 2);
        let lines: Vec<String> = out
            .iter()
            .map(|r| to_line(&header, r.data.as_parsed().unwrap()))
            .collect();
        assert_eq!(
            lines[0],
            "1\t5\t.\tA\tC\t9\tPASS\tAC=3;RS=r,c;ORIGINAL=1|5|A|C,G|1\tGT:PL:AD\t1/0:1,2,3:7,8\t0:1,2:."
        );
        assert_eq!(
            lines[1],
            "1\t5\t.\tA\tG\t9\tPASS\tAC=4;RS=r,g;ORIGINAL=1|5|A|C,G|2\tGT:PL:AD\t0/1:1,4,6:7,9\t1:1,3:."
        );
        assert_eq!(out[1].allele, GenomicAllele::new("1", 5, "A", "G"));
        assert_eq!(out[1].flags, vec![NormFlag::Split]);
        assert_eq!(out[1].original.as_ref().unwrap().alt_index, 2);
    }

    #[test]
    fn sort_window_restores_order() {
        let rec = |pos: u64, line: u64| NormalisedRecord {
            line,
            data: RecordData::from_parsed(Box::default(), None),
            allele: GenomicAllele::new("1", pos, "A", "C"),
            original: None,
            flags: Vec::new(),
        };
        let mut window = SortWindow::new(10);
        window.push(rec(100, 1));
        window.push(rec(95, 2)); // moved left
        window.push(rec(100, 3));
        assert!(window.drain_ready().is_empty());
        window.push(rec(200, 4));
        let ready: Vec<u64> = window.drain_ready().iter().map(|r| r.line).collect();
        assert_eq!(ready, [2, 1, 3]);
        window.push(rec(150, 5)); // moved back beyond what was written? no: 150 > 100
        assert!(window.check().is_ok());
        window.push(rec(50, 6));
        assert!(window.check().is_err());
        let rest: Vec<u64> = window.finish().iter().map(|r| r.line).collect();
        assert_eq!(rest, [6, 5, 4]);
    }
}
