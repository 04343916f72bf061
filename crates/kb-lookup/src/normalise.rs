//! Normalisation of knowledge-base alleles at build time, so they compare
//! equal to vcf-annotate's normalised alleles: split multi-allelic records,
//! trim shared bases (keeping one anchor base for indels) and, when the
//! bundle has a reference FASTA, check REF and left-align indels.
//!
//! Without a reference only trimming is possible; the manifest says so
//! (`normalisation.left_aligned = false`) and exact matching of indels in
//! repeats then depends on the source having left-aligned them already
//! (ClinVar and gnomAD VCFs are).

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};

use noodles::core::{Position, Region};
use noodles::fasta;

/// Bases read around a requested position at once: left-alignment walks
/// back through repeats one base at a time, so the window reaches further
/// to the left than to the right.
const WINDOW_LEFT: u64 = 1 << 16;
const WINDOW_RIGHT: u64 = 1 << 14;

/// An indexed reference FASTA, uncompressed (`.fai` beside it) or
/// bgzip-compressed (`.fai` and `.gzi` beside it), read in windows of a
/// few tens of kilobases so memory does not depend on contig sizes.
pub struct Reference {
    path: PathBuf,
    reader: fasta::io::IndexedReader<fasta::io::BufReader<File>>,
    lengths: BTreeMap<String, u64>,
    /// `(contig, first position, upper-cased bases)` of the last window.
    window: Option<(String, u64, Vec<u8>)>,
}

/// Whether a file is bgzip-compressed (a gzip member with the `BC` extra
/// subfield), from its first bytes; `Err` for plain gzip, which cannot be
/// read at random positions.
pub fn is_bgzf(path: &Path) -> crate::Result<bool> {
    use std::io::Read;
    let mut magic = [0u8; 14];
    let mut file = File::open(path).map_err(|e| crate::Error::file(path, e))?;
    let mut n = 0;
    while n < magic.len() {
        match file.read(&mut magic[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) => return Err(crate::Error::file(path, e)),
        }
    }
    let gzip = n >= 2 && magic[..2] == [0x1f, 0x8b];
    let bgzf = gzip && n == 14 && magic[3] & 4 != 0 && &magic[12..14] == b"BC";
    if gzip && !bgzf {
        return Err(crate::Error::file(
            path,
            "gzip- but not bgzip-compressed: recompress with `bgzip` and index with `samtools faidx`",
        ));
    }
    Ok(bgzf)
}

/// `path` with `suffix` appended (`genome.fa.gz` → `genome.fa.gz.fai`).
pub fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

impl Reference {
    /// Opens a FASTA with its `.fai` (and `.gzi` when bgzipped; the
    /// compression is read from the content, not the name).
    pub fn open(path: &Path) -> crate::Result<Self> {
        let bgzf = is_bgzf(path)?;
        let fai_path = with_suffix(path, ".fai");
        let index = fasta::fai::fs::read(&fai_path).map_err(|e| {
            crate::Error::file(&fai_path, format!("cannot read the FASTA index: {e}"))
        })?;
        let file = File::open(path).map_err(|e| crate::Error::file(path, e))?;
        let inner = if bgzf {
            let gzi_path = with_suffix(path, ".gzi");
            let gzi = noodles::bgzf::gzi::fs::read(&gzi_path).map_err(|e| {
                crate::Error::file(
                    &gzi_path,
                    format!("cannot read the bgzip index of a compressed FASTA: {e}"),
                )
            })?;
            fasta::io::BufReader::Bgzf(noodles::bgzf::io::IndexedReader::new(file, gzi))
        } else {
            fasta::io::BufReader::Uncompressed(std::io::BufReader::new(file))
        };
        let lengths = index
            .as_ref()
            .iter()
            .map(|r| (String::from_utf8_lossy(r.name()).into_owned(), r.length()))
            .collect();
        Ok(Self {
            path: path.to_path_buf(),
            reader: fasta::io::IndexedReader::new(inner, index),
            lengths,
            window: None,
        })
    }

    /// Contig lengths from the `.fai`.
    pub fn lengths(&self) -> &BTreeMap<String, u64> {
        &self.lengths
    }

    /// The name this reference uses for `chrom` (`7` vs `chr7`), if any.
    pub fn resolve(&self, chrom: &str) -> Option<String> {
        crate::contig::aliases(chrom).find(|n| self.lengths.contains_key(n))
    }

    /// Upper-cased bases `start..=end` (1-based) of a contig named as in
    /// the reference; `None` when the range runs past the contig's end.
    pub fn bases(&mut self, contig: &str, start: u64, end: u64) -> crate::Result<Option<&[u8]>> {
        let length = self.lengths.get(contig).copied().unwrap_or(0);
        if start == 0 || end < start || end > length {
            return Ok(None);
        }
        let covered = matches!(&self.window, Some((name, first, seq))
            if name == contig && *first <= start && end < *first + seq.len() as u64);
        if !covered {
            let first = start.saturating_sub(WINDOW_LEFT).max(1);
            let last = end.saturating_add(WINDOW_RIGHT).min(length);
            let region = Region::new(
                contig,
                Position::try_from(first as usize).expect("first >= 1")
                    ..=Position::try_from(last as usize).expect("last >= first"),
            );
            let record = self.reader.query(&region).map_err(|e| {
                crate::Error::file(
                    &self.path,
                    format!("cannot read {contig}:{first}-{last}: {e}"),
                )
            })?;
            let mut seq = record.sequence().as_ref().to_vec();
            seq.make_ascii_uppercase();
            self.window = Some((contig.to_string(), first, seq));
        }
        let (_, first, seq) = self.window.as_ref().expect("loaded above");
        let offset = (start - first) as usize;
        Ok(seq.get(offset..offset + (end - start + 1) as usize))
    }
}

/// Why an allele was not kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    /// `<DEL>`, breakends, `*`, `.`: not matchable as an exact allele.
    Symbolic,
    /// REF equals ALT (no variant).
    NoChange,
    /// REF disagrees with the reference genome.
    RefMismatch,
    /// Contig absent from the reference.
    UnknownContig,
    /// Not A/C/G/T/N bases.
    InvalidBases,
}

impl Skip {
    pub fn reason(self) -> &'static str {
        match self {
            Skip::Symbolic => "skipped:symbolic_allele",
            Skip::NoChange => "skipped:ref_equals_alt",
            Skip::RefMismatch => "skipped:ref_mismatch",
            Skip::UnknownContig => "skipped:contig_not_in_reference",
            Skip::InvalidBases => "skipped:invalid_bases",
        }
    }
}

/// A normalised biallelic allele.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Allele {
    pub chrom: String,
    pub pos: u64,
    pub ref_allele: String,
    pub alt_allele: String,
}

/// Normalises alleles, with or without a reference.
pub struct Normaliser {
    reference: Option<Reference>,
}

impl Normaliser {
    pub fn new(reference: Option<Reference>) -> Self {
        Self { reference }
    }

    pub fn left_aligns(&self) -> bool {
        self.reference.is_some()
    }

    pub fn reference_lengths(&self) -> Option<&BTreeMap<String, u64>> {
        self.reference.as_ref().map(|r| r.lengths())
    }

    /// Normalises one REF/ALT pair (VCF coordinates, anchor base included
    /// for indels). Contig names are kept as the source writes them unless
    /// the reference names them differently, in which case the reference's
    /// name is used.
    pub fn normalise(
        &mut self,
        chrom: &str,
        pos: u64,
        ref_allele: &str,
        alt_allele: &str,
    ) -> crate::Result<Result<Allele, Skip>> {
        let symbolic = |a: &str| {
            a.is_empty() || a.starts_with('<') || a.contains(['[', ']']) || a == "*" || a == "."
        };
        if symbolic(ref_allele) || symbolic(alt_allele) {
            return Ok(Err(Skip::Symbolic));
        }
        let valid = |a: &str| a.bytes().all(|b| b"ACGTNacgtn".contains(&b));
        if !valid(ref_allele) || !valid(alt_allele) {
            return Ok(Err(Skip::InvalidBases));
        }
        let mut r = ref_allele.to_ascii_uppercase().into_bytes();
        let mut a = alt_allele.to_ascii_uppercase().into_bytes();
        if r == a {
            return Ok(Err(Skip::NoChange));
        }
        let mut pos = pos;
        let mut chrom = chrom.to_string();
        match self.reference.as_mut() {
            None => {
                while r.len() > 1 && a.len() > 1 && r.last() == a.last() {
                    r.pop();
                    a.pop();
                }
                let mut lead = 0;
                while r.len() - lead > 1 && a.len() - lead > 1 && r[lead] == a[lead] {
                    lead += 1;
                }
                r.drain(..lead);
                a.drain(..lead);
                pos += lead as u64;
            }
            Some(reference) => {
                let Some(name) = reference.resolve(&chrom) else {
                    return Ok(Err(Skip::UnknownContig));
                };
                chrom = name;
                match reference.bases(&chrom, pos, pos + r.len() as u64 - 1)? {
                    Some(bases) if bases == r.as_slice() || r.contains(&b'N') => {}
                    _ => return Ok(Err(Skip::RefMismatch)),
                }
                // vt's algorithm: trim the right end, extend to the left with
                // reference bases whenever an allele becomes empty.
                loop {
                    let mut changed = false;
                    if !r.is_empty() && !a.is_empty() && r.last() == a.last() {
                        r.pop();
                        a.pop();
                        changed = true;
                    }
                    if (r.is_empty() || a.is_empty()) && pos > 1 {
                        pos -= 1;
                        let base = reference
                            .bases(&chrom, pos, pos)?
                            .expect("inside the contig: pos only decreases")[0];
                        r.insert(0, base);
                        a.insert(0, base);
                        changed = true;
                    }
                    if !changed {
                        break;
                    }
                }
                let mut lead = 0;
                while r.len() - lead > 1 && a.len() - lead > 1 && r[lead] == a[lead] {
                    lead += 1;
                }
                r.drain(..lead);
                a.drain(..lead);
                pos += lead as u64;
            }
        }
        Ok(Ok(Allele {
            chrom,
            pos,
            ref_allele: String::from_utf8(r).expect("ASCII bases"),
            alt_allele: String::from_utf8(a).expect("ASCII bases"),
        }))
    }

    /// Converts a MAF-style allele (no anchor base, `-` for empty) to VCF
    /// style. Indels need the preceding reference base, so without a
    /// reference they are returned as `None`.
    pub fn from_maf(
        &mut self,
        chrom: &str,
        start: u64,
        ref_allele: &str,
        alt_allele: &str,
    ) -> crate::Result<Option<(String, u64, String, String)>> {
        let r = if ref_allele == "-" { "" } else { ref_allele };
        let a = if alt_allele == "-" { "" } else { alt_allele };
        if !r.is_empty() && !a.is_empty() {
            return Ok(Some((chrom.into(), start, r.into(), a.into())));
        }
        let Some(reference) = self.reference.as_mut() else {
            return Ok(None);
        };
        let Some(name) = reference.resolve(chrom) else {
            return Ok(None);
        };
        // MAF insertions sit between `start` and `start + 1`; deletions
        // start at `start`. Either way the anchor is the base before the
        // first changed base.
        let anchor_pos = if r.is_empty() { start } else { start - 1 };
        if anchor_pos == 0 {
            return Ok(None);
        }
        let Some(anchor) = reference.bases(&name, anchor_pos, anchor_pos)? else {
            return Ok(None);
        };
        let anchor = anchor[0] as char;
        Ok(Some((
            chrom.into(),
            anchor_pos,
            format!("{anchor}{r}"),
            format!("{anchor}{a}"),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn reference(dir: &Path) -> Reference {
        // chrT: AAACAGCAGCAGTTT (CAG repeat at 4-12)
        let fa = dir.join("ref.fa");
        let mut f = File::create(&fa).unwrap();
        writeln!(f, ">chrT\nAAACAGCAGCAGTTT").unwrap();
        let index = fasta::fs::index(&fa).unwrap();
        let mut w = fasta::fai::io::Writer::new(File::create(dir.join("ref.fa.fai")).unwrap());
        w.write_index(&index).unwrap();
        drop(w);
        Reference::open(&fa).unwrap()
    }

    #[test]
    fn reads_bgzipped_references_in_windows_and_left_aligns_across_them() {
        // chrR: 1000 bases of ACGT.., a 150 kb CA repeat, then 1000 Ts:
        // left-aligning a CA deletion at the repeat's end walks back across
        // several windows.
        let dir = tempfile::tempdir().unwrap();
        let mut seq: Vec<u8> = (0..1000).map(|i| b"ACGT"[i % 4]).collect();
        let repeat_start = seq.len() as u64 + 1;
        for _ in 0..75_000 {
            seq.extend_from_slice(b"CA");
        }
        let repeat_end = seq.len() as u64;
        seq.extend(std::iter::repeat_n(b'T', 1000));
        let fa = dir.path().join("ref.fa.gz");
        synthetic_data::fasta::write_bgzf_fasta(&fa, [("chrR", seq.as_slice())]).unwrap();
        let mut reference = Reference::open(&fa).unwrap();
        assert_eq!(reference.lengths()["chrR"], seq.len() as u64);
        assert_eq!(
            reference
                .bases("chrR", repeat_end - 1, repeat_end + 2)
                .unwrap(),
            Some(&b"CATT"[..])
        );
        assert_eq!(reference.bases("chrR", 1, 4).unwrap(), Some(&b"ACGT"[..]));
        let last = seq.len() as u64;
        assert_eq!(reference.bases("chrR", last, last + 1).unwrap(), None);

        let mut n = Normaliser::new(Some(reference));
        // Delete the repeat's last `CA`, anchored on the base before it.
        let anchor = repeat_end - 2;
        let allele = n
            .normalise(
                "R",
                anchor,
                &format!("{}CA", seq[anchor as usize - 1] as char),
                "A",
            )
            .unwrap()
            .unwrap();
        // The leftmost representation deletes the first `CA`, anchored on
        // the base before the repeat.
        assert_eq!(allele.chrom, "chrR");
        assert_eq!(allele.pos, repeat_start - 1);
        assert_eq!(
            allele.ref_allele,
            format!("{}CA", seq[repeat_start as usize - 2] as char)
        );
        assert_eq!(
            allele.alt_allele,
            (seq[repeat_start as usize - 2] as char).to_string()
        );
        assert_eq!(
            n.normalise("chrR", 2, "A", "T").unwrap(),
            Err(Skip::RefMismatch)
        );
    }

    #[test]
    fn refuses_plain_gzip_references() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ref.fa.gz");
        let mut gz =
            flate2::write::GzEncoder::new(File::create(&path).unwrap(), Default::default());
        gz.write_all(b">chrT\nACGT\n").unwrap();
        gz.finish().unwrap();
        let err = Reference::open(&path)
            .err()
            .expect("plain gzip refused")
            .to_string();
        assert!(err.contains("not bgzip-compressed"), "{err}");
    }

    #[test]
    fn trims_without_a_reference() {
        let mut n = Normaliser::new(None);
        let a = n.normalise("1", 100, "CGAA", "TGAA").unwrap().unwrap();
        assert_eq!(
            (a.pos, a.ref_allele.as_str(), a.alt_allele.as_str()),
            (100, "C", "T")
        );
        let d = n.normalise("1", 100, "GGAAGAC", "G").unwrap().unwrap();
        assert_eq!(
            (d.pos, d.ref_allele.as_str(), d.alt_allele.as_str()),
            (100, "GGAAGAC", "G")
        );
        let lead = n.normalise("1", 100, "ACT", "AGT").unwrap().unwrap();
        assert_eq!((lead.pos, lead.ref_allele.as_str()), (101, "C"));
        assert_eq!(n.normalise("1", 1, "A", "A").unwrap(), Err(Skip::NoChange));
        assert_eq!(
            n.normalise("1", 1, "A", "<DEL>").unwrap(),
            Err(Skip::Symbolic)
        );
    }

    #[test]
    fn left_aligns_against_the_reference() {
        let dir = tempfile::tempdir().unwrap();
        let mut n = Normaliser::new(Some(reference(dir.path())));
        // Deleting the last CAG (pos 9 anchor G: GCAG>G) moves left to pos 3.
        let a = n.normalise("chrT", 9, "GCAG", "G").unwrap().unwrap();
        assert_eq!(
            (a.pos, a.ref_allele.as_str(), a.alt_allele.as_str()),
            (3, "ACAG", "A")
        );
        // `T` contig alias resolves to `chrT`.
        let b = n.normalise("T", 12, "G", "GCAG").unwrap().unwrap();
        assert_eq!(
            (b.chrom.as_str(), b.pos, b.alt_allele.as_str()),
            ("chrT", 3, "ACAG")
        );
        assert_eq!(
            n.normalise("chrT", 2, "C", "T").unwrap(),
            Err(Skip::RefMismatch)
        );
        assert_eq!(
            n.normalise("chrZ", 2, "C", "T").unwrap(),
            Err(Skip::UnknownContig)
        );
        // MAF deletion of CAG at 10-12 → anchor G at 9.
        let maf = n.from_maf("chrT", 10, "CAG", "-").unwrap().unwrap();
        assert_eq!(maf, ("chrT".into(), 9, "GCAG".into(), "G".into()));
    }
}
