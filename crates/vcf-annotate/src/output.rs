//! Writing the annotated VCF: plain VCF, or bgzip + tabix index for a
//! `.vcf.gz`/`.vcf.bgz` path, written atomically.
//!
//! Files are written under a temporary name in the target directory and
//! moved into place by [`VcfOutput::commit`]; dropping a `VcfOutput`
//! without committing (an error half-way) leaves neither a partial file nor
//! a stale index.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use noodles::bgzf;
use noodles::vcf::variant::RecordBuf;
use noodles::vcf::variant::io::Write as _;
use noodles::vcf::{self, Header};
use tempfile::NamedTempFile;
use variant_model::io::{AtomicOutput, display_name};

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
    /// BGZF blocks are compressed by worker threads while records are
    /// annotated and formatted.
    Bgzf {
        writer: vcf::io::Writer<bgzf::io::MultithreadedWriter<BufWriter<NamedTempFile>>>,
        target: PathBuf,
    },
}

/// Formats a record as the VCF line [`VcfOutput::write`] writes for it
/// (with its newline), appended to `buf`; lets records be formatted in
/// parallel and then written in order with [`VcfOutput::write_formatted`].
pub fn format_record(header: &Header, record: &RecordBuf, buf: &mut Vec<u8>) -> io::Result<()> {
    vcf::io::Writer::new(buf).write_variant_record(header, record)
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
                let workers =
                    std::thread::available_parallelism().unwrap_or(std::num::NonZero::<usize>::MIN);
                let writer = bgzf::io::MultithreadedWriter::with_worker_count(
                    workers,
                    BufWriter::with_capacity(1 << 16, temp),
                );
                Sink::Bgzf {
                    writer: vcf::io::Writer::new(writer),
                    target: p.to_path_buf(),
                }
            }
            _ => {
                let out = AtomicOutput::create(path).map_err(|e| fail(e.to_string()))?;
                Sink::Plain(vcf::io::Writer::new(out))
            }
        };
        let mut output = Self {
            name,
            header: header.clone(),
            sink,
        };
        let result = match &mut output.sink {
            Sink::Plain(w) => w.write_header(header),
            Sink::Bgzf { writer, .. } => writer.write_header(header),
        };
        result.map_err(|e| output.error(e))?;
        Ok(output)
    }

    fn error(&self, e: io::Error) -> OutputError {
        OutputError::Write {
            path: self.name.clone(),
            message: format!("cannot write: {e}"),
        }
    }

    pub fn write(&mut self, record: &RecordBuf) -> Result<(), OutputError> {
        let result = match &mut self.sink {
            Sink::Plain(w) => w.write_variant_record(&self.header, record),
            Sink::Bgzf { writer, .. } => writer.write_variant_record(&self.header, record),
        };
        result.map_err(|e| self.error(e))
    }

    /// Writes VCF lines made by [`format_record`].
    pub fn write_formatted(&mut self, lines: &[u8]) -> Result<(), OutputError> {
        let result = match &mut self.sink {
            Sink::Plain(w) => w.get_mut().write_all(lines),
            Sink::Bgzf { writer, .. } => writer.get_mut().write_all(lines),
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
                let buffered = writer
                    .into_inner()
                    .finish()
                    .map_err(|e| fail(format!("cannot finish the bgzip stream: {e}")))?;
                let temp = buffered
                    .into_inner()
                    .map_err(|e| fail(format!("cannot write: {}", e.error())))?;
                temp.as_file()
                    .sync_all()
                    .map_err(|e| fail(format!("cannot write: {e}")))?;
                let index = index_bgzf(temp.path())
                    .map_err(|e| fail(format!("cannot index the output: {e}")))?;
                let (index_path, index_temp) = write_index(&target, &index)
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

/// Indexes a bgzipped VCF as noodles' `vcf::fs::index` does (tabix, or
/// CSI for contigs over 2^29 bases), but inflating on worker threads: on a
/// single thread, reading the output back took as long as the rest of the
/// run's critical path after the last record was written.
fn index_bgzf(path: &Path) -> io::Result<vcf::Index> {
    use noodles::core::Position;
    use noodles::csi::binning_index::index::reference_sequence::bin::Chunk;
    use noodles::vcf::variant::Record as _;

    let workers = std::thread::available_parallelism().unwrap_or(std::num::NonZero::<usize>::MIN);
    let mut reader = vcf::io::Reader::new(bgzf::io::MultithreadedReader::with_worker_count(
        workers,
        File::open(path)?,
    ));
    let header = reader.read_header()?;
    let mut builder = vcf::index::Indexer::builder();
    let lengths: Vec<usize> = header
        .contigs()
        .values()
        .filter_map(|c| c.length())
        .collect();
    if lengths.contains(&0) {
        // As noodles refuses it: no index can cover an empty contig.
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "invalid reference sequence length",
        ));
    }
    if let Some(max_position) = lengths.into_iter().max().and_then(Position::new) {
        builder = builder.set_max_position_hint(max_position);
    }
    let mut indexer = builder
        .build()
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
    let mut record = vcf::Record::default();
    let mut start = reader.get_ref().virtual_position();
    while reader.read_record(&mut record)? != 0 {
        let end = reader.get_ref().virtual_position();
        let variant_start = record
            .variant_start()
            .transpose()?
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "missing position"))?;
        let variant_end = record.variant_end(&header)?;
        indexer
            .add_record(
                record.reference_sequence_name(),
                variant_start,
                variant_end,
                Chunk::new(start, end),
            )
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        start = end;
    }
    Ok(indexer.build())
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
