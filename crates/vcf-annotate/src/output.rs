//! Writing the annotated VCF: plain VCF, or bgzip + tabix index for a
//! `.vcf.gz`/`.vcf.bgz` path, written atomically.
//!
//! Files are written under a temporary name in the target directory and
//! moved into place by [`VcfOutput::commit`]; dropping a `VcfOutput`
//! without committing (an error half-way) leaves neither a partial file nor
//! a stale index.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use noodles::vcf::variant::RecordBuf;
use noodles::vcf::variant::io::Write as _;
use noodles::vcf::{self, Header};
use tempfile::NamedTempFile;
use variant_model::io::{AtomicOutput, display_name};

mod indexing_writer;
use indexing_writer::IndexingWriter;

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{path}: {message}")]
    Write { path: String, message: String },
}

/// Adds `##vcf-annotateVersion` and `##vcf-annotateCommand` (the command
/// line as given). No date: the same run gives byte-identical output.
pub fn add_provenance(header: &mut Header, command_line: &str) {
    use noodles::vcf::header::record::Value;
    for (key, value) in [
        ("vcf-annotateVersion", env!("CARGO_PKG_VERSION").to_string()),
        ("vcf-annotateCommand", command_line.to_string()),
    ] {
        let key = key.parse().expect("a valid header key");
        // Another vcf-annotate run upstream: keep its lines and add ours.
        header
            .insert(key, Value::String(value))
            .expect("unstructured values can always be added");
    }
}

/// The command line of this process, for [`add_provenance`]; the program
/// is named `vcf-annotate` whatever its install path, so that output does
/// not depend on where the tool lives.
pub fn command_line() -> String {
    std::iter::once("vcf-annotate".to_string())
        .chain(std::env::args().skip(1))
        .map(|a| {
            if a.is_empty() || a.contains(char::is_whitespace) {
                format!("'{a}'")
            } else {
                a
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether a path asks for bgzip + tabix output.
pub fn is_bgzip_path(path: &Path) -> bool {
    let name = path.to_string_lossy();
    name.ends_with(".gz") || name.ends_with(".bgz")
}

enum Sink {
    Plain(vcf::io::Writer<AtomicOutput>),
    /// BGZF blocks are compressed, and the index built, on other threads
    /// while records are annotated and formatted.
    Bgzf {
        writer: IndexingWriter,
        target: PathBuf,
    },
}

/// Formats a record as the VCF line [`VcfOutput::write`] writes for it
/// (with its newline), appended to `buf`; lets records be formatted in
/// parallel and then written in order with [`VcfOutput::write_formatted`].
pub fn format_record(header: &Header, record: &RecordBuf, buf: &mut Vec<u8>) -> io::Result<()> {
    vcf::io::Writer::new(buf).write_variant_record(header, record)
}

/// Appends a normalised record's VCF line: the input line as it came in
/// when normalisation left the record unchanged, else [`format_record`].
pub fn format_normalised(
    header: &Header,
    record: &crate::record::NormalisedRecord,
    buf: &mut Vec<u8>,
) -> io::Result<()> {
    match (record.data.line(), record.data.as_parsed()) {
        (Some(line), _) => {
            buf.extend_from_slice(line.as_bytes());
            buf.push(b'\n');
            Ok(())
        }
        (None, Some(parsed)) => format_record(header, parsed, buf),
        (None, None) => unreachable!("a record is a line, parsed, or both"),
    }
}

pub struct VcfOutput {
    name: String,
    header: Header,
    sink: Sink,
}

impl VcfOutput {
    pub fn create(path: Option<&Path>, header: &Header) -> Result<Self, OutputError> {
        let name = display_name(path, "<stdout>");
        let fail = |message: String| OutputError::Write {
            path: name.clone(),
            message,
        };
        let sink = match path {
            Some(p) if p != Path::new("-") && is_bgzip_path(p) => {
                let temp = temp_in_dir(p).map_err(|e| fail(format!("cannot create: {e}")))?;
                let writer = IndexingWriter::new(temp, header)
                    .map_err(|e| fail(format!("cannot write: {e}")))?;
                Sink::Bgzf {
                    writer,
                    target: p.to_path_buf(),
                }
            }
            _ => {
                let out = AtomicOutput::create(path).map_err(|e| fail(e.to_string()))?;
                let mut writer = vcf::io::Writer::new(out);
                writer
                    .write_header(header)
                    .map_err(|e| fail(format!("cannot write: {e}")))?;
                Sink::Plain(writer)
            }
        };
        Ok(Self {
            name,
            header: header.clone(),
            sink,
        })
    }

    fn error(&self, e: io::Error) -> OutputError {
        OutputError::Write {
            path: self.name.clone(),
            message: format!("cannot write: {e}"),
        }
    }

    pub fn write(&mut self, record: &RecordBuf) -> Result<(), OutputError> {
        let mut line = Vec::new();
        format_record(&self.header, record, &mut line).map_err(|e| self.error(e))?;
        self.write_formatted(line)
    }

    /// Writes whole VCF lines made by [`format_record`].
    pub fn write_formatted(&mut self, lines: Vec<u8>) -> Result<(), OutputError> {
        let result = match &mut self.sink {
            Sink::Plain(w) => w.get_mut().write_all(&lines),
            Sink::Bgzf { writer, .. } => writer.write(lines),
        };
        result.map_err(|e| self.error(e))
    }

    /// Finishes the file (BGZF EOF block, tabix index) and moves it into place.
    pub fn commit(self) -> Result<(), OutputError> {
        let name = self.name.clone();
        let fail = |message: String| OutputError::Write {
            path: name.clone(),
            message,
        };
        match self.sink {
            Sink::Plain(w) => w.into_inner().commit().map_err(|e| fail(e.to_string())),
            Sink::Bgzf { writer, target } => {
                let finished = writer
                    .finish()
                    .map_err(|e| fail(format!("cannot finish the bgzip stream: {e}")))?;
                let temp = finished.file;
                temp.as_file()
                    .sync_all()
                    .map_err(|e| fail(format!("cannot write: {e}")))?;
                let (index_path, index_temp) = write_index(&target, &finished.index)
                    .map_err(|e| fail(format!("cannot write the index: {e}")))?;
                // An index of another kind left from an earlier run would
                // not match the new file.
                for stale in [with_suffix(&target, ".tbi"), with_suffix(&target, ".csi")] {
                    if stale != index_path && stale.exists() {
                        std::fs::remove_file(&stale).map_err(|e| {
                            fail(format!(
                                "cannot remove the stale index {}: {e}",
                                stale.display()
                            ))
                        })?;
                    }
                }
                temp.persist(&target)
                    .map_err(|e| fail(format!("cannot move the output into place: {}", e.error)))?;
                index_temp.persist(&index_path).map_err(|e| {
                    fail(format!(
                        "cannot move the index {} into place: {}",
                        index_path.display(),
                        e.error
                    ))
                })?;
                Ok(())
            }
        }
    }
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn temp_in_dir(target: &Path) -> io::Result<NamedTempFile> {
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    tempfile::Builder::new()
        .prefix(&format!(".{file_name}."))
        .suffix(".tmp")
        .tempfile_in(dir)
}

/// Writes the index (tabix, or CSI for contigs over 2^29 bases) to a
/// temporary file beside the target; returns its final path.
fn write_index(target: &Path, index: &vcf::Index) -> io::Result<(PathBuf, NamedTempFile)> {
    let (path, mut temp) = match index {
        vcf::Index::Tabix(_) => (
            with_suffix(target, ".tbi"),
            temp_in_dir(&with_suffix(target, ".tbi"))?,
        ),
        vcf::Index::Csi(_) => (
            with_suffix(target, ".csi"),
            temp_in_dir(&with_suffix(target, ".csi"))?,
        ),
    };
    {
        let file: &mut File = temp.as_file_mut();
        match index {
            vcf::Index::Tabix(i) => noodles::tabix::io::Writer::new(&mut *file).write_index(i)?,
            vcf::Index::Csi(i) => noodles::csi::io::Writer::new(&mut *file).write_index(i)?,
        }
        file.flush()?;
        file.sync_all()?;
    }
    Ok((path, temp))
}

#[cfg(test)]
mod tests {
    use super::*;
    use noodles::core::Position;

    fn header() -> Header {
        "##fileformat=VCFv4.3\n##contig=<ID=chr1,length=1000>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
            .parse()
            .unwrap()
    }

    fn record(pos: usize) -> RecordBuf {
        RecordBuf::builder()
            .set_reference_sequence_name("chr1")
            .set_variant_start(Position::new(pos).unwrap())
            .set_reference_bases("A")
            .set_alternate_bases(vec!["C".to_string()].into())
            .build()
    }

    #[test]
    fn writes_bgzip_with_tabix_index_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.vcf.gz");
        let mut out = VcfOutput::create(Some(&target), &header()).unwrap();
        out.write(&record(10)).unwrap();
        out.write(&record(20)).unwrap();
        assert!(!target.exists(), "nothing visible before commit");
        out.commit().unwrap();
        assert!(target.exists());
        let index = noodles::tabix::fs::read(with_suffix(&target, ".tbi")).unwrap();
        assert_eq!(index.reference_sequences().len(), 1);
        let mut reader = vcf::io::reader::Builder::default()
            .build_from_path(&target)
            .unwrap();
        let h = reader.read_header().unwrap();
        assert_eq!(reader.record_bufs(&h).count(), 2);
        // only the output and its index remain
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    /// The index built while writing is the one noodles builds by reading
    /// the finished file back, over many blocks, batches and two contigs,
    /// with INFO/END setting some records' ends.
    #[test]
    fn index_built_while_writing_equals_noodles_index_of_the_file() {
        let header: Header = "##fileformat=VCFv4.3\n\
            ##INFO=<ID=END,Number=1,Type=Integer,Description=\"End\">\n\
            ##contig=<ID=chr1,length=50000000>\n##contig=<ID=chr2,length=3000000>\n\
            #CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
            .parse()
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.vcf.gz");
        let mut out = VcfOutput::create(Some(&target), &header).unwrap();
        let mut batch = Vec::new();
        for i in 0..90_000u64 {
            let (chrom, pos) = if i < 60_000 {
                ("chr1", 100 + i * 700)
            } else {
                ("chr2", 1 + (i - 60_000) * 90)
            };
            let info = if i % 7 == 0 {
                format!("END={}", pos + 20_000)
            } else {
                ".".into()
            };
            let pad = "ACGT".repeat((i % 13) as usize);
            batch.extend(format!("{chrom}\t{pos}\t.\tA{pad}\tC\t.\t.\t{info}\n").bytes());
            if i % 997 == 0 {
                out.write_formatted(std::mem::take(&mut batch)).unwrap();
            }
        }
        out.write_formatted(batch).unwrap();
        out.commit().unwrap();

        let ours = std::fs::read(with_suffix(&target, ".tbi")).unwrap();
        let index = match noodles::vcf::fs::index(&target).unwrap() {
            vcf::Index::Tabix(index) => index,
            vcf::Index::Csi(_) => panic!("contigs this short get a tabix index"),
        };
        let mut theirs = Vec::new();
        noodles::tabix::io::Writer::new(&mut theirs)
            .write_index(&index)
            .unwrap();
        let inflate = |bytes: &[u8]| {
            let mut text = Vec::new();
            io::Read::read_to_end(&mut noodles::bgzf::io::Reader::new(bytes), &mut text).unwrap();
            text
        };
        assert!(
            std::fs::metadata(&target).unwrap().len() > 3 * 65536,
            "several blocks"
        );
        assert_eq!(inflate(&ours), inflate(&theirs));
    }

    #[test]
    fn dropped_output_leaves_nothing_and_keeps_older_files_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.vcf.gz");
        {
            let mut out = VcfOutput::create(Some(&target), &header()).unwrap();
            out.write(&record(10)).unwrap();
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn provenance_lines_are_deterministic() {
        let mut h = header();
        add_provenance(&mut h, "vcf-annotate --normalise-only in.vcf");
        let mut text = Vec::new();
        vcf::io::Writer::new(&mut text).write_header(&h).unwrap();
        let text = String::from_utf8(text).unwrap();
        assert!(text.contains(&format!(
            "##vcf-annotateVersion={}\n##vcf-annotateCommand=vcf-annotate --normalise-only in.vcf\n",
            env!("CARGO_PKG_VERSION")
        )));
    }
}
