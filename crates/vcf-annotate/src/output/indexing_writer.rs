//! A bgzip writer that builds the output's tabix (or CSI) index while it
//! writes, instead of reading the finished file back to index it.
//!
//! The uncompressed stream is cut into blocks of [`BLOCK_DATA`] bytes, the
//! size noodles' BGZF writers fill, so the file holds the same blocks (and
//! bytes) as `bgzf::io::MultithreadedWriter` writes. Blocks are compressed
//! on the rayon pool by a writer thread of their own, while the caller
//! goes on formatting records. Each record line's place in the uncompressed
//! stream is known before compression; once the blocks it lies in are
//! written, their compressed offsets turn it into the virtual positions
//! the index needs.

use std::collections::VecDeque;
use std::io::{self, BufWriter, Write};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use noodles::bgzf;
use noodles::bgzf::VirtualPosition;
use noodles::core::Position;
use noodles::csi::binning_index::index::reference_sequence::bin::Chunk;
use noodles::vcf::{self, Header};
use rayon::prelude::*;
use tempfile::NamedTempFile;

/// Uncompressed bytes per BGZF block, as noodles' writers fill them: the
/// largest ISIZE (64 KiB) less the block header (18), trailer (8) and the
/// worst-case DEFLATE overhead of incompressible data (15).
pub(super) const BLOCK_DATA: usize = 65536 - 18 - 8 - 15;

/// Whole blocks gathered before they are compressed in parallel.
const BLOCKS_PER_BATCH: usize = 32;

/// Bytes of the caller's buffers gathered into one message for the writer
/// thread, so that the queue bounds the bytes in flight whatever the size
/// of the caller's buffers.
const MESSAGE_BYTES: usize = 4 * BLOCK_DATA;

/// Messages in flight between the caller and the writer thread: room for
/// two batches of blocks, so that the caller goes on formatting while the
/// thread compresses, writes and indexes one (with room for less, the
/// caller waited on it and the worker threads went idle).
const QUEUE_DEPTH: usize = 2 * BLOCKS_PER_BATCH * BLOCK_DATA / MESSAGE_BYTES;

enum Message {
    /// Buffers of whole lines, in order.
    Data(Vec<Vec<u8>>),
    Finish,
}

/// The bgzipped file (still under its temporary name) and its index.
pub(super) struct Finished {
    pub file: NamedTempFile,
    pub index: vcf::Index,
}

pub(super) struct IndexingWriter {
    sender: Option<SyncSender<Message>>,
    worker: Option<JoinHandle<io::Result<Finished>>>,
    /// Buffers not sent yet, and their bytes.
    gathered: Vec<Vec<u8>>,
    gathered_bytes: usize,
}

impl IndexingWriter {
    /// Starts the writer thread and writes the header. The index is built
    /// for `header`'s contigs; an empty contig is refused, as noodles'
    /// indexer refuses it.
    pub fn new(file: NamedTempFile, header: &Header) -> io::Result<Self> {
        let indexer = new_indexer(header)?;
        let mut header_text = Vec::new();
        vcf::io::Writer::new(&mut header_text).write_header(header)?;
        let (sender, receiver) = sync_channel(QUEUE_DEPTH);
        let state = State {
            file: BufWriter::with_capacity(1 << 16, file),
            header: header.clone(),
            vcf_4_5: header.file_format() >= vcf::header::FileFormat::new(4, 5),
            indexer,
            stream: Vec::new(),
            stream_start: 0,
            parsed: header_text.len() as u64,
            pending: VecDeque::new(),
            block_starts: VecDeque::from([0]),
            first_block: 0,
            position: 0,
        };
        let worker = std::thread::Builder::new()
            .name("bgzf-writer".into())
            .spawn(move || state.run(receiver))?;
        let mut writer = Self {
            sender: Some(sender),
            worker: Some(worker),
            gathered: Vec::new(),
            gathered_bytes: 0,
        };
        writer.write(header_text)?;
        Ok(writer)
    }

    /// Queues whole VCF lines (or the header) for writing.
    pub fn write(&mut self, bytes: Vec<u8>) -> io::Result<()> {
        // No sender: an earlier write found the thread stopped and said why.
        self.sender.as_ref().ok_or_else(stopped)?;
        self.gathered_bytes += bytes.len();
        self.gathered.push(bytes);
        if self.gathered_bytes >= MESSAGE_BYTES {
            self.send_gathered()?;
        }
        Ok(())
    }

    fn send_gathered(&mut self) -> io::Result<()> {
        let sender = self.sender.as_ref().ok_or_else(stopped)?;
        let buffers = std::mem::take(&mut self.gathered);
        self.gathered_bytes = 0;
        if sender.send(Message::Data(buffers)).is_err() {
            // The writer thread stopped on an error: report it.
            return Err(self.join().err().unwrap_or_else(stopped));
        }
        Ok(())
    }

    /// Writes what is queued and the BGZF end-of-file block; returns the
    /// file and its index.
    pub fn finish(mut self) -> io::Result<Finished> {
        if !self.gathered.is_empty() {
            self.send_gathered()?;
        }
        let sender = self.sender.as_ref().ok_or_else(stopped)?;
        // A send error means the thread already stopped: join tells why.
        let _ = sender.send(Message::Finish);
        self.join()
    }

    fn join(&mut self) -> io::Result<Finished> {
        self.sender = None;
        let worker = self.worker.take().ok_or_else(stopped)?;
        worker
            .join()
            .map_err(|_| io::Error::other("the bgzip writer thread panicked"))?
    }
}

impl Drop for IndexingWriter {
    /// Abandons the output: the thread drops the temporary file (deleting
    /// it) before this returns, so an error exit leaves nothing behind.
    fn drop(&mut self) {
        if self.worker.is_some() {
            let _ = self.join();
        }
    }
}

fn stopped() -> io::Error {
    io::Error::other("the bgzip writer thread stopped")
}

fn invalid(e: impl std::fmt::Display) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e.to_string())
}

/// An indexer as noodles' `vcf::fs::index` makes it: CSI when a contig is
/// too long for tabix's bins.
fn new_indexer(header: &Header) -> io::Result<vcf::index::Indexer> {
    let mut builder = vcf::index::Indexer::builder();
    let lengths: Vec<usize> = header
        .contigs()
        .values()
        .filter_map(|c| c.length())
        .collect();
    if lengths.contains(&0) {
        return Err(invalid("invalid reference sequence length"));
    }
    if let Some(max_position) = lengths.into_iter().max().and_then(Position::new) {
        builder = builder.set_max_position_hint(max_position);
    }
    builder.build().map_err(invalid)
}

/// A record line whose compressed place is not known yet.
struct PendingRecord {
    name: String,
    start: Position,
    end: Position,
    /// Offsets of the line in the uncompressed stream, end exclusive.
    from: u64,
    to: u64,
}

struct State {
    file: BufWriter<NamedTempFile>,
    header: Header,
    /// VCF 4.5 reads a record's end from INFO/SVLEN and FORMAT/LEN (not
    /// INFO/END).
    vcf_4_5: bool,
    indexer: vcf::index::Indexer,
    /// Uncompressed bytes not compressed yet; `stream_start` is the offset
    /// of its first byte in the whole stream (always a block boundary).
    stream: Vec<u8>,
    stream_start: u64,
    /// Stream offset up to which lines were read for the index.
    parsed: u64,
    pending: VecDeque<PendingRecord>,
    /// Compressed offsets of blocks `first_block..`, and last the offset
    /// the next block will start at.
    block_starts: VecDeque<u64>,
    first_block: u64,
    /// Compressed bytes written.
    position: u64,
}

impl State {
    fn run(mut self, receiver: Receiver<Message>) -> io::Result<Finished> {
        loop {
            match receiver.recv() {
                Ok(Message::Data(buffers)) => {
                    for bytes in buffers {
                        self.stream.extend_from_slice(&bytes);
                        if self.stream.len() >= BLOCKS_PER_BATCH * BLOCK_DATA {
                            self.write_blocks(false)?;
                        }
                    }
                }
                Ok(Message::Finish) => return self.finish(),
                // Abandoned: the temporary file is deleted on return.
                Err(_) => return Err(stopped()),
            }
        }
    }

    fn finish(mut self) -> io::Result<Finished> {
        self.write_blocks(true)?;
        let State { file, indexer, .. } = self;
        Ok(Finished {
            file: file.into_inner().map_err(|e| e.into_error())?,
            index: indexer.build(),
        })
    }

    /// Compresses and writes the whole blocks gathered (all of the stream,
    /// and the end-of-file block, when `last`), then indexes the lines they
    /// complete.
    fn write_blocks(&mut self, last: bool) -> io::Result<()> {
        self.read_lines(last)?;
        let whole = self.stream.len() / BLOCK_DATA * BLOCK_DATA;
        let blocks = self.stream[..whole]
            .par_chunks(BLOCK_DATA)
            .map(compress_block)
            .collect::<io::Result<Vec<Vec<u8>>>>()?;
        for block in &blocks {
            self.put(block)?;
        }
        let mut written = whole;
        if last {
            // The tail, a block shorter than the others, and the
            // end-of-file block.
            if whole < self.stream.len() {
                let tail = compress_block(&self.stream[whole..])?;
                self.put(&tail)?;
                written = self.stream.len();
            }
            let eof = bgzf::io::Writer::new(Vec::new()).finish()?;
            self.file.write_all(&eof)?;
        }
        self.stream.drain(..written);
        self.stream_start += written as u64;
        self.index_written()
    }

    /// Writes one compressed block and notes where the next one starts.
    fn put(&mut self, block: &[u8]) -> io::Result<()> {
        self.file.write_all(block)?;
        self.position += block.len() as u64;
        self.block_starts.push_back(self.position);
        Ok(())
    }

    /// Reads the complete lines not read yet (all of them when `last`) for
    /// the index: contig, start and end as noodles' indexer reads them.
    fn read_lines(&mut self, last: bool) -> io::Result<()> {
        let from = (self.parsed - self.stream_start) as usize;
        let end = if last {
            self.stream.len()
        } else {
            match self.stream[from..].iter().rposition(|&b| b == b'\n') {
                Some(i) => from + i + 1,
                None => return Ok(()),
            }
        };
        let mut offset = self.parsed;
        let mut rest = &self.stream[from..end];
        while !rest.is_empty() {
            let n = memchr::memchr(b'\n', rest).map_or(rest.len(), |i| i + 1);
            let (line, tail) = rest.split_at(n);
            rest = tail;
            let text = line.strip_suffix(b"\n").unwrap_or(line);
            let text = text.strip_suffix(b"\r").unwrap_or(text);
            let (name, start, end) = match plain_extent(text, self.vcf_4_5) {
                Some((name, start, end)) => (name.to_string(), start, end),
                None => noodles_extent(&self.header, text)?,
            };
            self.pending.push_back(PendingRecord {
                name,
                start,
                end,
                from: offset,
                to: offset + n as u64,
            });
            offset += n as u64;
        }
        self.parsed = offset;
        Ok(())
    }

    /// The virtual position of an uncompressed stream offset in a block
    /// already written (or at the start of the next block).
    fn virtual_position(&self, offset: u64) -> io::Result<VirtualPosition> {
        if offset == self.stream_start {
            // The end of all that is written, after a short last block too,
            // is the next block's start (as htslib and noodles read it).
            let next = *self.block_starts.back().expect("the next block's start");
            return VirtualPosition::try_from((next, 0)).map_err(invalid);
        }
        let block = offset / BLOCK_DATA as u64;
        let within = (offset % BLOCK_DATA as u64) as u16;
        let start = block
            .checked_sub(self.first_block)
            .and_then(|i| self.block_starts.get(i as usize))
            .ok_or_else(|| invalid("a record lies in a block not written"))?;
        VirtualPosition::try_from((*start, within)).map_err(invalid)
    }

    /// Adds to the index the lines whose blocks are all written.
    fn index_written(&mut self) -> io::Result<()> {
        while self
            .pending
            .front()
            .is_some_and(|r| r.to <= self.stream_start)
        {
            let record = self.pending.pop_front().expect("a pending record");
            let chunk = Chunk::new(
                self.virtual_position(record.from)?,
                self.virtual_position(record.to)?,
            );
            self.indexer
                .add_record(&record.name, record.start, record.end, chunk)
                .map_err(invalid)?;
        }
        // Offsets of blocks before the first pending line are not needed
        // again; the last one (the next block's start) always is.
        let keep_from =
            self.pending.front().map_or(self.stream_start, |r| r.from) / BLOCK_DATA as u64;
        while self.first_block < keep_from && self.block_starts.len() > 1 {
            self.block_starts.pop_front();
            self.first_block += 1;
        }
        Ok(())
    }
}

/// Contig, start and end of a record line as noodles' indexer reads them.
fn noodles_extent(header: &Header, text: &[u8]) -> io::Result<(String, Position, Position)> {
    use noodles::vcf::variant::Record as _;
    let record = vcf::Record::try_from(text)?;
    let start = record
        .variant_start()
        .transpose()?
        .ok_or_else(|| invalid("missing position"))?;
    let end = record.variant_end(header)?;
    Ok((record.reference_sequence_name().to_string(), start, end))
}

/// Contig, start and end of a record line whose end is its REF's: POS > 0,
/// bases in REF, and no INFO/END (before VCF 4.5), INFO/SVLEN or
/// FORMAT/LEN (4.5) that noodles' `variant_end` would read instead. `None`
/// for any other line (or one that only may have those keys), which
/// noodles then reads, so the index is always noodles'.
fn plain_extent(line: &[u8], vcf_4_5: bool) -> Option<(&str, Position, Position)> {
    let columns = crate::record::Columns::of(line);
    if !columns.has(7) {
        return None;
    }
    let column = |i: usize| &line[columns.range(i)];
    let name = std::str::from_utf8(column(0)).ok()?;
    let pos: usize = std::str::from_utf8(column(1)).ok()?.parse().ok()?;
    let (reference, info, format) = (column(3), column(7), column(8));
    // Any mention of the key (`ENDOG=` too) leaves the line to noodles:
    // exact either way, and a substring search is what keeps this cheap.
    let mentions = |column: &[u8], key: &[u8]| memchr::memmem::find(column, key).is_some();
    let moves_end = if vcf_4_5 {
        mentions(info, b"SVLEN") || mentions(format, b"LEN")
    } else {
        mentions(info, b"END")
    };
    if moves_end || reference.is_empty() || reference == b"." {
        return None;
    }
    let start = Position::new(pos)?;
    let end = start.checked_add(reference.len() - 1)?;
    Some((name, start, end))
}

/// One BGZF block of `data` (at most [`BLOCK_DATA`] bytes).
fn compress_block(data: &[u8]) -> io::Result<Vec<u8>> {
    let mut writer = bgzf::io::Writer::new(Vec::with_capacity(data.len() / 3));
    writer.write_all(data)?;
    writer.flush()?;
    // No end-of-file block here: `into_inner` leaves the stream open.
    Ok(writer.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_as_large_as_noodles_writers_fill_them() {
        let data = vec![b'A'; BLOCK_DATA + 1];
        let mut writer = bgzf::io::Writer::new(Vec::new());
        writer.write_all(&data[..BLOCK_DATA]).unwrap();
        // A full block was written on its own...
        assert_eq!(writer.virtual_position().uncompressed(), 0);
        assert!(writer.virtual_position().compressed() > 0);
        writer.write_all(&data[BLOCK_DATA..]).unwrap();
        // ...and one byte more starts the next.
        assert_eq!(writer.virtual_position().uncompressed(), 1);
    }

    /// The shortcut gives what noodles reads, and leaves every line whose
    /// end is not its REF's to noodles.
    #[test]
    fn plain_extents_are_noodles_extents() {
        let lines = [
            ("chr1\t100\t.\tACGT\tA\t.\t.\t.", true),
            (
                "chr1\t100\trs1\tA\tC\t50.00\tPASS\tDP=3;CSQ=C|x=y\tGT\t0/1",
                true,
            ),
            ("chr1\t100\t.\tA\t<DEL>\t.\t.\tEND=900", false),
            ("chr1\t100\t.\tA\t<DEL>\t.\t.\tDP=1;END=900;X", false),
            ("chr1\t100\t.\tA\t<DEL>\t.\t.\tSVLEN=800", true),
            ("chr1\t100\t.\tA\t<DEL>\t.\t.\t.\tGT:LEN\t0/1:700", true),
            ("chr1\t100\t.\tA\tC\t.\t.\tDP=5;CSQ=C|x|ENDOG", false),
        ];
        for version in ["4.3", "4.5"] {
            let header: Header = format!(
                // END, SVLEN and LEN as noodles reserves them.
                "##fileformat=VCFv{version}\n\
                 #CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS\n"
            )
            .parse()
            .unwrap();
            let vcf_4_5 = version == "4.5";
            for (line, plain_before_4_5) in lines {
                let theirs = noodles_extent(&header, line.as_bytes()).unwrap();
                match plain_extent(line.as_bytes(), vcf_4_5) {
                    Some((name, start, end)) => {
                        assert_eq!((name.to_string(), start, end), theirs, "{version}: {line}")
                    }
                    None => assert!(
                        vcf_4_5 || !plain_before_4_5,
                        "{version}: {line} should take the shortcut"
                    ),
                }
            }
            // Lines with END take the shortcut in 4.5 (noodles reads
            // SVLEN and LEN there), those with SVLEN or LEN before it;
            // a mere mention of END (a gene ENDOG in CSQ) is left to noodles.
            let plain: Vec<usize> = (0..lines.len())
                .filter(|&i| plain_extent(lines[i].0.as_bytes(), vcf_4_5).is_some())
                .collect();
            let expected = if vcf_4_5 {
                vec![0, 1, 2, 3, 6]
            } else {
                vec![0, 1, 4, 5]
            };
            assert_eq!(plain, expected, "{version}");
        }
        // Too few columns, and POS 0 (no start), are noodles' to refuse.
        assert!(plain_extent(b"chr1\t5\t.\tA\tC\t.\t.", false).is_none());
        assert!(plain_extent(b"chr1\t0\t.\tA\tC\t.\t.\t.", false).is_none());
    }

    /// Once the writer thread stopped on an error, every later call says
    /// so instead of panicking, and the temporary file is gone.
    #[test]
    fn writes_after_a_failure_are_errors() {
        let header: Header = "##fileformat=VCFv4.3\n##contig=<ID=chr1,length=1000>\n\
            #CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
            .parse()
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let file = NamedTempFile::new_in(dir.path()).unwrap();
        let mut writer = IndexingWriter::new(file, &header).unwrap();
        // A line the indexer cannot read, then enough to make the thread
        // write (and fail).
        let bad = b"chr1\tnot-a-position\t.\tA\tC\t.\t.\t.\n".to_vec();
        let good = b"chr1\t5\t.\tA\tC\t.\t.\t.\n".repeat(BLOCK_DATA / 20);
        let mut result = writer.write(bad);
        let mut writes = 0;
        while result.is_ok() && writes < 10_000 {
            result = writer.write(good.clone());
            writes += 1;
        }
        assert!(result.is_err(), "the failure is reported");
        assert!(writer.write(good.clone()).is_err());
        assert!(writer.finish().is_err());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn compressed_blocks_read_back() {
        let data: Vec<u8> = (0..BLOCK_DATA).map(|i| (i % 251) as u8).collect();
        let mut bytes = compress_block(&data).unwrap();
        bytes.extend(compress_block(b"tail").unwrap());
        let mut reader = bgzf::io::Reader::new(&bytes[..]);
        let mut back = Vec::new();
        io::Read::read_to_end(&mut reader, &mut back).unwrap();
        assert_eq!(back.len(), BLOCK_DATA + 4);
        assert_eq!(&back[..BLOCK_DATA], &data[..]);
        assert_eq!(&back[BLOCK_DATA..], b"tail");
    }
}
