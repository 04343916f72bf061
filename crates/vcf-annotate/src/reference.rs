//! The reference genome: an indexed FASTA (`.fai`; plus `.gzi` when
//! bgzip-compressed), read one contig at a time and shared between threads.
//!
//! Whole contigs are loaded on first use and kept in a small cache (at most
//! [`CACHED_CONTIGS`] at a time), so memory stays bounded by the largest
//! contigs while sorted input never re-reads a contig.

use std::collections::HashMap;
use std::ffi::OsString;
use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use noodles::bgzf;
use noodles::fasta::{self, fai};

/// Contigs kept in memory at once: the current one and its predecessor,
/// so the sort window and parallel chunks that straddle a contig boundary
/// do not thrash.
pub const CACHED_CONTIGS: usize = 2;

#[derive(Debug, thiserror::Error)]
pub enum ReferenceError {
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
    #[error("contig `{contig}` is not in the reference FASTA {path}")]
    UnknownContig { contig: String, path: String },
}

/// One contig's sequence, upper-cased.
#[derive(Debug)]
pub struct ContigSequence {
    pub name: String,
    pub sequence: Vec<u8>,
}

impl ContigSequence {
    pub fn len(&self) -> u64 {
        self.sequence.len() as u64
    }

    pub fn is_empty(&self) -> bool {
        self.sequence.is_empty()
    }

    /// Bases `start..=end` (1-based, inclusive), or `None` past the end.
    pub fn slice(&self, start: u64, end: u64) -> Option<&[u8]> {
        if start == 0 || end < start || end > self.len() {
            return None;
        }
        Some(&self.sequence[(start - 1) as usize..end as usize])
    }
}

type FastaReader = fasta::io::IndexedReader<fasta::io::BufReader<File>>;

/// An indexed reference FASTA.
pub struct Reference {
    path: PathBuf,
    index: fai::Index,
    /// Contig name → position in `index`.
    by_name: HashMap<String, usize>,
    reader: Mutex<FastaReader>,
    /// Most recently used last.
    cache: Mutex<Vec<Arc<ContigSequence>>>,
}

impl std::fmt::Debug for Reference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reference")
            .field("path", &self.path)
            .field("contigs", &self.by_name.len())
            .finish()
    }
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = OsString::from(path.as_os_str());
    s.push(suffix);
    PathBuf::from(s)
}

impl Reference {
    /// Opens `path`, requiring its `.fai` (and `.gzi` when bgzipped).
    /// Compression is detected from the file's content, not its name.
    pub fn open(path: &Path) -> Result<Self, ReferenceError> {
        let name = path.display().to_string();
        let invalid = |message: String| ReferenceError::Invalid {
            path: name.clone(),
            message,
        };
        let mut file =
            File::open(path).map_err(|e| invalid(format!("cannot open reference FASTA: {e}")))?;
        let mut magic = [0u8; 18];
        let n = read_up_to(&mut file, &mut magic)
            .map_err(|e| invalid(format!("cannot read reference FASTA: {e}")))?;
        let magic = &magic[..n];
        let gzipped = magic.starts_with(&[0x1f, 0x8b]);
        // A BGZF block is a gzip member with the `BC` extra subfield.
        let bgzipped = gzipped && magic.len() >= 14 && magic[3] & 4 != 0 && &magic[12..14] == b"BC";
        if gzipped && !bgzipped {
            return Err(invalid(
                "reference FASTA is gzip- but not bgzip-compressed, so it cannot be indexed; \
                 recompress it with `bgzip` and index it with `samtools faidx`"
                    .into(),
            ));
        }

        let fai_path = with_suffix(path, ".fai");
        if !fai_path.exists() {
            return Err(invalid(format!(
                "FASTA index {} not found; create it with `samtools faidx {}`",
                fai_path.display(),
                path.display()
            )));
        }
        let index = fai::fs::read(&fai_path).map_err(|e| ReferenceError::Invalid {
            path: fai_path.display().to_string(),
            message: format!("cannot read FASTA index: {e}"),
        })?;

        let file = File::open(path).map_err(|e| invalid(format!("cannot open: {e}")))?;
        let inner = if bgzipped {
            let gzi_path = with_suffix(path, ".gzi");
            if !gzi_path.exists() {
                return Err(invalid(format!(
                    "bgzip-compressed FASTA needs its index {} (created by `samtools faidx {}`)",
                    gzi_path.display(),
                    path.display()
                )));
            }
            let gzi = bgzf::gzi::fs::read(&gzi_path).map_err(|e| ReferenceError::Invalid {
                path: gzi_path.display().to_string(),
                message: format!("cannot read bgzip index: {e}"),
            })?;
            fasta::io::BufReader::Bgzf(bgzf::io::IndexedReader::new(file, gzi))
        } else {
            fasta::io::BufReader::Uncompressed(BufReader::with_capacity(1 << 16, file))
        };
        let reader = fasta::io::IndexedReader::new(inner, index.clone());

        let by_name = index
            .as_ref()
            .iter()
            .enumerate()
            .map(|(i, r)| (String::from_utf8_lossy(r.name()).into_owned(), i))
            .collect();
        Ok(Self {
            path: path.to_path_buf(),
            index,
            by_name,
            reader: Mutex::new(reader),
            cache: Mutex::new(Vec::with_capacity(CACHED_CONTIGS + 1)),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Contig names in `.fai` order.
    pub fn contig_names(&self) -> Vec<String> {
        self.index
            .as_ref()
            .iter()
            .map(|r| String::from_utf8_lossy(r.name()).into_owned())
            .collect()
    }

    pub fn contig_length(&self, name: &str) -> Option<u64> {
        self.by_name
            .get(name)
            .map(|&i| self.index.as_ref()[i].length())
    }

    /// The whole sequence of a contig (cached; cheap to call repeatedly).
    pub fn contig(&self, name: &str) -> Result<Arc<ContigSequence>, ReferenceError> {
        if let Some(hit) = self.cached(name) {
            return Ok(hit);
        }
        let Some(&i) = self.by_name.get(name) else {
            return Err(ReferenceError::UnknownContig {
                contig: name.to_string(),
                path: self.path.display().to_string(),
            });
        };
        // Holding the reader lock while loading also makes other threads
        // that want the same contig wait for it instead of reading it twice.
        let mut reader = self.reader.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(hit) = self.cached(name) {
            return Ok(hit);
        }
        let record = &self.index.as_ref()[i];
        let length = record.length();
        // The whole contig: seek to where the .fai says its bases start and
        // read as many as it says (as htslib does: what follows, even stray
        // characters, is not read), into a buffer of that size (no copy, no
        // regrowth: contigs are large).
        let mut sequence = Vec::with_capacity(length as usize);
        let inner = reader.get_mut();
        inner
            .seek(SeekFrom::Start(record.position()))
            .and_then(|_| {
                fasta::io::Reader::new(inner)
                    .sequence_reader()
                    .take(length)
                    .read_to_end(&mut sequence)
            })
            .map_err(|e| ReferenceError::Invalid {
                path: self.path.display().to_string(),
                message: format!("cannot read contig `{name}`: {e}"),
            })?;
        sequence.make_ascii_uppercase();
        drop(reader);
        if sequence.len() as u64 != length {
            return Err(ReferenceError::Invalid {
                path: self.path.display().to_string(),
                message: format!(
                    "contig `{name}` has {} bases but its .fai says {length}; \
                     the index is stale, re-create it with `samtools faidx`",
                    sequence.len()
                ),
            });
        }
        let contig = Arc::new(ContigSequence {
            name: name.to_string(),
            sequence,
        });
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        if !cache.iter().any(|c| c.name == name) {
            cache.push(Arc::clone(&contig));
            if cache.len() > CACHED_CONTIGS {
                cache.remove(0);
            }
        }
        Ok(contig)
    }

    fn cached(&self, name: &str) -> Option<Arc<ContigSequence>> {
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        let at = cache.iter().position(|c| c.name == name)?;
        let hit = Arc::clone(&cache[at]);
        if at + 1 != cache.len() {
            let moved = cache.remove(at);
            cache.push(moved);
        }
        Some(hit)
    }
}

fn read_up_to(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// Writes a FASTA with 4-base lines and its `.fai`.
    fn write_fasta(dir: &Path) -> PathBuf {
        let fa = dir.join("ref.fa");
        std::fs::write(&fa, ">chr1 desc\nACGT\nacgt\nAC\n>chr2\nTTTT\nGG\n").unwrap();
        let index = fasta::fs::index(&fa).unwrap();
        fai::fs::write(with_suffix(&fa, ".fai"), &index).unwrap();
        fa
    }

    #[test]
    fn reads_whole_contigs_upper_cased() {
        let dir = tempfile::tempdir().unwrap();
        let reference = Reference::open(&write_fasta(dir.path())).unwrap();
        assert_eq!(reference.contig_names(), ["chr1", "chr2"]);
        assert_eq!(reference.contig_length("chr1"), Some(10));
        assert_eq!(reference.contig_length("chrX"), None);
        let chr1 = reference.contig("chr1").unwrap();
        assert_eq!(chr1.sequence, b"ACGTACGTAC");
        assert_eq!(chr1.slice(4, 6), Some(&b"TAC"[..]));
        assert_eq!(chr1.slice(9, 11), None);
        assert_eq!(reference.contig("chr2").unwrap().sequence, b"TTTTGG");
        // cached: the same allocation comes back
        assert!(Arc::ptr_eq(&chr1, &reference.contig("chr1").unwrap()));
    }

    /// A contig is as long as its `.fai` line says, as htslib reads it:
    /// fewer bases (the FASTA changed after indexing) is an error, and what
    /// follows them is not read. CRLF line ends are not bases.
    #[test]
    fn contigs_are_read_as_the_fai_says() {
        let dir = tempfile::tempdir().unwrap();
        let fa = dir.path().join("ref.fa");
        for (text, fai_length, expected) in [
            (">chr1\nACGTAC\nGT\n>chr2\nTT\n", 6, Some(&b"ACGTAC"[..])),
            // bcftools' test data has such a line of spaces after a contig.
            (">chr1\nACGTAC\n      \n>chr2\nTT\n", 6, Some(b"ACGTAC")),
            (">chr1\nACGT\n>chr2\nTT\n", 6, None),
            (">chr1\r\nACGT\r\nAC\r\n>chr2\r\nTT\r\n", 0, Some(b"ACGTAC")),
        ] {
            std::fs::write(&fa, text).unwrap();
            let mut records: Vec<fai::Record> = fasta::fs::index(&fa).unwrap().as_ref().to_vec();
            if fai_length > 0 {
                let six = std::num::NonZero::new(6).unwrap();
                records[0] = fai::Record::new(
                    "chr1",
                    fai_length,
                    records[0].position(),
                    six,
                    six.saturating_add(1),
                );
            }
            fai::fs::write(with_suffix(&fa, ".fai"), &fai::Index::from(records)).unwrap();
            let reference = Reference::open(&fa).unwrap();
            match (reference.contig("chr1"), expected) {
                (Ok(chr1), Some(expected)) => assert_eq!(chr1.sequence, expected, "{text:?}"),
                (Err(e), None) => assert!(e.to_string().contains("stale"), "{e}"),
                (got, _) => panic!("{text:?}: {got:?}"),
            }
        }
    }

    #[test]
    fn cache_keeps_at_most_two_contigs() {
        let dir = tempfile::tempdir().unwrap();
        let fa = dir.path().join("ref.fa");
        std::fs::write(&fa, ">a\nA\n>b\nC\n>c\nG\n").unwrap();
        fai::fs::write(with_suffix(&fa, ".fai"), &fasta::fs::index(&fa).unwrap()).unwrap();
        let reference = Reference::open(&fa).unwrap();
        let a = reference.contig("a").unwrap();
        reference.contig("b").unwrap();
        reference.contig("c").unwrap();
        assert_eq!(reference.cache.lock().unwrap().len(), CACHED_CONTIGS);
        assert!(!Arc::ptr_eq(&a, &reference.contig("a").unwrap()));
    }

    #[test]
    fn unknown_contig_names_the_fasta() {
        let dir = tempfile::tempdir().unwrap();
        let fa = write_fasta(dir.path());
        let reference = Reference::open(&fa).unwrap();
        let err = reference.contig("chr9").unwrap_err().to_string();
        assert!(err.contains("chr9") && err.contains(&fa.display().to_string()));
    }

    #[test]
    fn missing_fai_says_how_to_create_it() {
        let dir = tempfile::tempdir().unwrap();
        let fa = dir.path().join("ref.fa");
        std::fs::write(&fa, ">chr1\nACGT\n").unwrap();
        let err = Reference::open(&fa).unwrap_err().to_string();
        assert!(
            err.contains("ref.fa.fai") && err.contains("samtools faidx"),
            "{err}"
        );
    }

    #[test]
    fn bgzipped_fasta_needs_gzi_and_then_reads() {
        let dir = tempfile::tempdir().unwrap();
        let plain = write_fasta(dir.path());
        let gz = dir.path().join("ref.fa.gz");
        let mut writer = bgzf::io::Writer::new(File::create(&gz).unwrap());
        writer.write_all(&std::fs::read(&plain).unwrap()).unwrap();
        writer.finish().unwrap();
        std::fs::copy(with_suffix(&plain, ".fai"), with_suffix(&gz, ".fai")).unwrap();
        let err = Reference::open(&gz).unwrap_err().to_string();
        assert!(err.contains("ref.fa.gz.gzi"), "{err}");

        // One block starting at uncompressed offset 0: the .gzi lists no
        // further blocks.
        bgzf::gzi::fs::write(with_suffix(&gz, ".gzi"), &bgzf::gzi::Index::default()).unwrap();
        let reference = Reference::open(&gz).unwrap();
        assert_eq!(reference.contig("chr2").unwrap().sequence, b"TTTTGG");
    }

    #[test]
    fn plain_gzip_fasta_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let gz = dir.path().join("ref.fa.gz");
        let mut enc = flate2::write::GzEncoder::new(
            File::create(&gz).unwrap(),
            flate2::Compression::default(),
        );
        enc.write_all(b">chr1\nACGT\n").unwrap();
        enc.finish().unwrap();
        let err = Reference::open(&gz).unwrap_err().to_string();
        assert!(err.contains("bgzip"), "{err}");
    }
}
