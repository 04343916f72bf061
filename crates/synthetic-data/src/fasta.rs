//! Writing a bgzip-compressed FASTA with its `.fai` and `.gzi` indexes, as
//! `samtools faidx` and vcf-annotate read them.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::num::NonZero;
use std::path::Path;

use noodles::bgzf;
use noodles::fasta::fai;

/// Bytes of uncompressed data per BGZF block (the format's maximum payload).
const BLOCK: usize = 65_280;
const LINE_WIDTH: usize = 60;

/// Collects uncompressed bytes and writes them as full BGZF blocks, so the
/// `.gzi` table (compressed ↔ uncompressed offset per block) is exact.
struct BlockWriter {
    writer: bgzf::io::Writer<BufWriter<File>>,
    pending: Vec<u8>,
    uncompressed: u64,
    blocks: Vec<(u64, u64)>,
}

impl BlockWriter {
    fn write(&mut self, mut bytes: &[u8]) -> io::Result<()> {
        while !bytes.is_empty() {
            let take = (BLOCK - self.pending.len()).min(bytes.len());
            self.pending.extend_from_slice(&bytes[..take]);
            bytes = &bytes[take..];
            if self.pending.len() == BLOCK {
                self.writer.write_all(&self.pending)?;
                self.writer.flush()?;
                self.uncompressed += BLOCK as u64;
                self.blocks
                    .push((self.writer.position(), self.uncompressed));
                self.pending.clear();
            }
        }
        Ok(())
    }

    fn finish(mut self) -> io::Result<bgzf::gzi::Index> {
        if self.pending.is_empty() {
            // The last full block's entry would point at the EOF block.
            self.blocks.pop();
        } else {
            self.writer.write_all(&self.pending)?;
            self.writer.flush()?;
        }
        self.writer.finish()?.flush()?;
        Ok(bgzf::gzi::Index::from(self.blocks))
    }
}

/// Writes `contigs` (name, sequence) to `path` as bgzipped FASTA with
/// 60-base lines, plus `path.fai` and `path.gzi`.
pub fn write_bgzf_fasta<'a>(
    path: &Path,
    contigs: impl IntoIterator<Item = (&'a str, &'a [u8])>,
) -> io::Result<()> {
    let mut out = BlockWriter {
        writer: bgzf::io::Writer::new(BufWriter::new(File::create(path)?)),
        pending: Vec::with_capacity(BLOCK),
        uncompressed: 0,
        blocks: Vec::new(),
    };
    let mut fai_records = Vec::new();
    let mut offset: u64 = 0;
    for (name, seq) in contigs {
        let header = format!(">{name}\n");
        offset += header.len() as u64;
        fai_records.push(fai::Record::new(
            name,
            seq.len() as u64,
            offset,
            NonZero::new(LINE_WIDTH as u64).expect("non-zero"),
            NonZero::new(LINE_WIDTH as u64 + 1).expect("non-zero"),
        ));
        out.write(header.as_bytes())?;
        let mut lines = Vec::with_capacity(seq.len() + seq.len() / LINE_WIDTH + 1);
        for line in seq.chunks(LINE_WIDTH) {
            lines.extend_from_slice(line);
            lines.push(b'\n');
        }
        offset += lines.len() as u64;
        out.write(&lines)?;
    }
    let gzi = out.finish()?;
    let with_suffix = |suffix: &str| {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        std::path::PathBuf::from(p)
    };
    let mut fai_writer = fai::io::Writer::new(BufWriter::new(File::create(with_suffix(".fai"))?));
    fai_writer.write_index(&fai::Index::from(fai_records))?;
    bgzf::gzi::fs::write(with_suffix(".gzi"), &gzi)
}
