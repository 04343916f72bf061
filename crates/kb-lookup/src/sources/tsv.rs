//! Tab-separated tables with a header row, read by column name (sources
//! rename columns between releases, so each column may have aliases).

use std::collections::HashMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// A TSV file opened for reading rows by column name.
pub struct Table {
    path: PathBuf,
    columns: HashMap<String, usize>,
    reader: Box<dyn BufRead + Send>,
    line_number: u64,
    line: String,
}

/// One data row and where it came from.
pub struct Row<'t> {
    table: &'t Table,
    fields: Vec<&'t str>,
}

impl Table {
    /// Opens a (possibly gzipped) TSV; lines starting with `##` before the
    /// header are skipped, a leading `#` on the header is ignored.
    pub fn open(path: &Path) -> crate::Result<Self> {
        let mut reader = variant_model::io::open_input(Some(path))?;
        let mut line = String::new();
        let mut line_number = 0;
        loop {
            line.clear();
            if reader
                .read_line(&mut line)
                .map_err(|e| crate::Error::file(path, e))?
                == 0
            {
                return Err(crate::Error::file(path, "empty file: no header row"));
            }
            line_number += 1;
            if !line.starts_with("##") {
                break;
            }
        }
        let header = line.trim_end_matches(['\n', '\r']).trim_start_matches('#');
        let columns = header
            .split('\t')
            .enumerate()
            .map(|(i, name)| (name.trim().to_string(), i))
            .collect();
        Ok(Self {
            path: path.to_path_buf(),
            columns,
            reader,
            line_number,
            line: String::new(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn line_number(&self) -> u64 {
        self.line_number
    }

    /// The first of `names` present in the header.
    pub fn column(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|n| self.columns.get(*n).copied())
    }

    /// Like [`Table::column`] but an error naming the file when absent.
    pub fn require(&self, names: &[&str]) -> crate::Result<usize> {
        self.column(names).ok_or_else(|| {
            crate::Error::file(
                &self.path,
                format!("missing column `{}` in the header", names.join("` or `")),
            )
        })
    }

    /// Reads the next non-empty row.
    pub fn next_row(&mut self) -> crate::Result<Option<Row<'_>>> {
        loop {
            self.line.clear();
            let n = self
                .reader
                .read_line(&mut self.line)
                .map_err(|e| crate::Error::at(&self.path, self.line_number + 1, e.to_string()))?;
            if n == 0 {
                return Ok(None);
            }
            self.line_number += 1;
            if !self.line.trim().is_empty() {
                break;
            }
        }
        let fields = self
            .line
            .trim_end_matches(['\n', '\r'])
            .split('\t')
            .collect();
        Ok(Some(Row {
            table: self,
            fields,
        }))
    }

    pub fn error(&self, message: impl Into<String>) -> crate::Error {
        crate::Error::at(&self.path, self.line_number, message)
    }
}

impl Row<'_> {
    /// The field at a column index, trimmed; `None` when empty, `NA` or
    /// past the end of a short row.
    pub fn get(&self, column: Option<usize>) -> Option<&str> {
        let value = self.fields.get(column?)?.trim();
        (!value.is_empty() && value != "NA" && value != "N/A").then_some(value)
    }

    pub fn origin(&self) -> String {
        format!("{}:{}", self.table.path.display(), self.table.line_number)
    }

    pub fn error(&self, message: impl Into<String>) -> crate::Error {
        self.table.error(message)
    }
}
