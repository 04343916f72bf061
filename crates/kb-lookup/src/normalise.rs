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

use noodles::core::Region;
use noodles::fasta;

/// An indexed reference FASTA (`.fai` beside it), read one contig at a time.
pub struct Reference {
    path: PathBuf,
    reader: fasta::io::IndexedReader<fasta::io::BufReader<File>>,
    lengths: BTreeMap<String, u64>,
    cached: Option<(String, Vec<u8>)>,
}

impl Reference {
    pub fn open(path: &Path) -> crate::Result<Self> {
        let reader = fasta::io::indexed_reader::Builder::default()
            .build_from_path(path)
            .map_err(|e| crate::Error::file(path, format!("cannot open indexed FASTA: {e}")))?;
        let lengths = reader
            .index()
            .as_ref()
            .iter()
            .map(|r| (r.name().to_string(), r.length()))
            .collect();
        Ok(Self {
            path: path.to_path_buf(),
            reader,
            lengths,
            cached: None,
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

    /// The upper-cased sequence of a contig (cached: sources are sorted).
    fn contig(&mut self, name: &str) -> crate::Result<&[u8]> {
        if self.cached.as_ref().map(|(n, _)| n.as_str()) != Some(name) {
            let region: Region = name
                .parse()
                .map_err(|e| crate::Error::file(&self.path, format!("contig {name}: {e}")))?;
            let record = self
                .reader
                .query(&region)
                .map_err(|e| crate::Error::file(&self.path, format!("contig {name}: {e}")))?;
            let mut seq = record.sequence().as_ref().to_vec();
            seq.make_ascii_uppercase();
            self.cached = Some((name.to_string(), seq));
        }
        Ok(&self.cached.as_ref().expect("cached above").1)
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
                let seq = reference.contig(&chrom)?;
                let start = (pos - 1) as usize;
                match seq.get(start..start + r.len()) {
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
                        let base = seq[(pos - 1) as usize];
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
        let seq = reference.contig(&name)?;
        let anchor = seq[(anchor_pos - 1) as usize] as char;
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
