//! Input and output plumbing shared by every tool: read a path or stdin,
//! plain or gzip/bgzip compressed; write a path or stdout, never leaving a
//! half-written file behind.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use flate2::read::MultiGzDecoder;
use tempfile::NamedTempFile;

/// Errors of the I/O helpers; each names the file involved.
#[derive(Debug, thiserror::Error)]
pub enum IoError {
    #[error("{path}: cannot open: {source}")]
    Open { path: String, source: io::Error },
    #[error("{path}: cannot create output: {source}")]
    Create { path: String, source: io::Error },
    #[error("{path}: cannot finish writing output: {source}")]
    Commit { path: String, source: io::Error },
}

/// How a path is shown in messages; `-` and no path mean stdin/stdout.
pub fn display_name(path: Option<&Path>, stdio: &str) -> String {
    match path {
        Some(p) if p != Path::new("-") => p.display().to_string(),
        _ => stdio.to_string(),
    }
}

fn is_stdio(path: Option<&Path>) -> bool {
    path.is_none() || path == Some(Path::new("-"))
}

/// Opens a path (or stdin for `None`/`-`) for buffered reading, inflating
/// gzip and bgzip transparently (detected from the magic bytes, not the
/// file name). A truncated gzip stream surfaces as a read error.
pub fn open_input(path: Option<&Path>) -> Result<Box<dyn BufRead + Send>, IoError> {
    let name = display_name(path, "<stdin>");
    let raw: Box<dyn Read + Send> = if is_stdio(path) {
        Box::new(io::stdin())
    } else {
        let p = path.expect("checked above");
        Box::new(File::open(p).map_err(|source| IoError::Open {
            path: name.clone(),
            source,
        })?)
    };
    let mut reader = BufReader::with_capacity(1 << 16, raw);
    let magic = reader.fill_buf().map_err(|source| IoError::Open {
        path: name.clone(),
        source,
    })?;
    if magic.len() >= 2 && magic[0] == 0x1f && magic[1] == 0x8b {
        Ok(Box::new(BufReader::with_capacity(
            1 << 16,
            MultiGzDecoder::new(reader),
        )))
    } else {
        Ok(Box::new(reader))
    }
}

/// An output that is either stdout or a file written under a temporary name
/// in the destination directory and renamed into place by
/// [`AtomicOutput::commit`]. Dropping it without committing removes the
/// temporary file, so a failed run leaves no partial output.
pub struct AtomicOutput {
    target: Option<PathBuf>,
    inner: OutputInner,
}

enum OutputInner {
    Stdout(io::BufWriter<io::Stdout>),
    File(io::BufWriter<NamedTempFile>),
}

impl AtomicOutput {
    /// Creates an output for `path`, or stdout for `None`/`-`.
    pub fn create(path: Option<&Path>) -> Result<Self, IoError> {
        if is_stdio(path) {
            return Ok(Self {
                target: None,
                inner: OutputInner::Stdout(io::BufWriter::with_capacity(1 << 16, io::stdout())),
            });
        }
        let target = path.expect("checked above").to_path_buf();
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let file_name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = tempfile::Builder::new()
            .prefix(&format!(".{file_name}."))
            .suffix(".tmp")
            .tempfile_in(&dir)
            .map_err(|source| IoError::Create {
                path: target.display().to_string(),
                source,
            })?;
        Ok(Self {
            target: Some(target),
            inner: OutputInner::File(io::BufWriter::with_capacity(1 << 16, temp)),
        })
    }

    /// The final path, or `None` for stdout.
    pub fn target(&self) -> Option<&Path> {
        self.target.as_deref()
    }

    /// Flushes and moves the file into place (or flushes stdout).
    pub fn commit(self) -> Result<(), IoError> {
        let name = display_name(self.target.as_deref(), "<stdout>");
        match self.inner {
            OutputInner::Stdout(mut w) => w
                .flush()
                .map_err(|source| IoError::Commit { path: name, source }),
            OutputInner::File(w) => {
                let temp = w.into_inner().map_err(|e| IoError::Commit {
                    path: name.clone(),
                    source: e.into_error(),
                })?;
                temp.as_file()
                    .sync_all()
                    .map_err(|source| IoError::Commit {
                        path: name.clone(),
                        source,
                    })?;
                let target = self.target.expect("file output has a target");
                temp.persist(&target).map_err(|e| IoError::Commit {
                    path: name,
                    source: e.error,
                })?;
                Ok(())
            }
        }
    }
}

impl Write for AtomicOutput {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.inner {
            OutputInner::Stdout(w) => w.write(buf),
            OutputInner::File(w) => w.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match &mut self.inner {
            OutputInner::Stdout(w) => w.write_all(buf),
            OutputInner::File(w) => w.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.inner {
            OutputInner::Stdout(w) => w.flush(),
            OutputInner::File(w) => w.flush(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::{Compression, write::GzEncoder};

    #[test]
    fn reads_plain_and_gzip_input_alike() {
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("a.txt");
        std::fs::write(&plain, "line\n").unwrap();
        let gz = dir.path().join("a.txt.gz");
        let mut enc = GzEncoder::new(File::create(&gz).unwrap(), Compression::default());
        enc.write_all(b"line\n").unwrap();
        enc.finish().unwrap();
        for path in [&plain, &gz] {
            let mut text = String::new();
            open_input(Some(path))
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            assert_eq!(text, "line\n");
        }
    }

    #[test]
    fn truncated_gzip_is_a_read_error() {
        let dir = tempfile::tempdir().unwrap();
        let gz = dir.path().join("t.gz");
        let mut enc = GzEncoder::new(Vec::new(), Compression::default());
        enc.write_all(&vec![b'A'; 100_000]).unwrap();
        let bytes = enc.finish().unwrap();
        std::fs::write(&gz, &bytes[..bytes.len() / 2]).unwrap();
        let mut text = String::new();
        assert!(
            open_input(Some(&gz))
                .unwrap()
                .read_to_string(&mut text)
                .is_err()
        );
    }

    #[test]
    fn missing_input_names_the_file() {
        let err = open_input(Some(Path::new("/nonexistent/x.vcf")))
            .err()
            .unwrap();
        assert!(
            err.to_string()
                .starts_with("/nonexistent/x.vcf: cannot open")
        );
    }

    #[test]
    fn uncommitted_output_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.txt");
        {
            let mut out = AtomicOutput::create(Some(&target)).unwrap();
            out.write_all(b"partial").unwrap();
            // dropped: simulates an error half-way
        }
        assert!(!target.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);

        let mut out = AtomicOutput::create(Some(&target)).unwrap();
        out.write_all(b"whole").unwrap();
        out.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "whole");
    }
}
