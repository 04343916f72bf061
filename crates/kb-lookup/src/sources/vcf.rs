//! Line-level reading of source VCFs (ClinVar, gnomAD): only the columns
//! the converters need are split, so sources of hundreds of millions of
//! records convert at I/O speed.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// A VCF opened for record-by-record reading.
pub struct VcfLines {
    path: PathBuf,
    reader: Box<dyn BufRead + Send>,
    pub meta: Vec<String>,
    line_number: u64,
    line: String,
    /// Contig lengths declared in the header.
    pub contig_lengths: BTreeMap<String, u64>,
}

/// The fixed columns of one data line.
pub struct VcfRecord<'a> {
    pub line_number: u64,
    pub chrom: &'a str,
    pub pos: u64,
    pub id: &'a str,
    pub ref_allele: &'a str,
    pub alts: Vec<&'a str>,
    pub filter: &'a str,
    pub info: &'a str,
}

impl VcfLines {
    pub fn open(path: &Path) -> crate::Result<Self> {
        let mut reader = variant_model::io::open_input(Some(path))?;
        let mut meta = Vec::new();
        let mut line = String::new();
        let mut line_number = 0;
        loop {
            line.clear();
            if reader
                .read_line(&mut line)
                .map_err(|e| crate::Error::at(path, line_number + 1, e.to_string()))?
                == 0
            {
                return Err(crate::Error::file(path, "no #CHROM header line: not a VCF"));
            }
            line_number += 1;
            let text = line.trim_end_matches(['\n', '\r']);
            if text.starts_with("##") {
                meta.push(text.to_string());
            } else if text.starts_with("#CHROM") {
                break;
            } else {
                return Err(crate::Error::at(
                    path,
                    line_number,
                    "expected a ## meta line or the #CHROM header: not a VCF",
                ));
            }
        }
        if !meta
            .first()
            .is_some_and(|m| m.starts_with("##fileformat=VCF"))
        {
            return Err(crate::Error::at(path, 1, "missing ##fileformat=VCF line"));
        }
        let mut contig_lengths = BTreeMap::new();
        for m in &meta {
            if let Some(body) = m.strip_prefix("##contig=<") {
                let mut id = None;
                let mut length = None;
                for field in body.trim_end_matches('>').split(',') {
                    match field.split_once('=') {
                        Some(("ID", v)) => id = Some(v.to_string()),
                        Some(("length", v)) => length = v.parse().ok(),
                        _ => {}
                    }
                }
                if let (Some(id), Some(length)) = (id, length) {
                    contig_lengths.insert(id, length);
                }
            }
        }
        Ok(Self {
            path: path.to_path_buf(),
            reader,
            meta,
            line_number,
            line: String::new(),
            contig_lengths,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn origin(&self) -> String {
        format!("{}:{}", self.path.display(), self.line_number)
    }

    pub fn error(&self, message: impl Into<String>) -> crate::Error {
        crate::Error::at(&self.path, self.line_number, message)
    }

    /// Reads the next data line; errors name the file and line.
    pub fn next_record(&mut self) -> crate::Result<Option<VcfRecord<'_>>> {
        self.line.clear();
        let n = self
            .reader
            .read_line(&mut self.line)
            .map_err(|e| crate::Error::at(&self.path, self.line_number + 1, e.to_string()))?;
        if n == 0 {
            return Ok(None);
        }
        self.line_number += 1;
        let text = self.line.trim_end_matches(['\n', '\r']);
        let mut fields = text.splitn(9, '\t');
        let path = &self.path;
        let line_number = self.line_number;
        let mut next = |name: &str| {
            fields.next().ok_or_else(|| {
                crate::Error::at(path, line_number, format!("missing {name} column"))
            })
        };
        let chrom = next("CHROM")?;
        let pos_text = next("POS")?;
        let id = next("ID")?;
        let ref_allele = next("REF")?;
        let alt = next("ALT")?;
        let _qual = next("QUAL")?;
        let filter = next("FILTER")?;
        let info = next("INFO")?;
        let pos = pos_text.parse().map_err(|_| {
            crate::Error::at(
                path,
                line_number,
                format!("POS `{pos_text}` is not a number"),
            )
        })?;
        Ok(Some(VcfRecord {
            line_number,
            chrom,
            pos,
            id,
            ref_allele,
            alts: alt.split(',').collect(),
            filter,
            info,
        }))
    }
}
