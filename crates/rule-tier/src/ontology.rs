//! Tumour-type ontology: OncoTree codes with their parents, mapped to
//! Disease Ontology (DOID) terms, so that evidence stated for a disease can
//! be compared with the sample's tumour type.
//!
//! File format (`assets/ontology/oncotree_doid.tsv`, shipped in a
//! knowledge-base bundle as `ontology/oncotree_doid.tsv`): tab-separated,
//! UTF-8, lines starting with `#` are comments, then a header line and one
//! row per OncoTree node:
//!
//! | column | content |
//! |---|---|
//! | `oncotree_code` | OncoTree code (`LUAD`); the root is `TISSUE` |
//! | `oncotree_name` | OncoTree name |
//! | `parent_code` | OncoTree parent code; empty for the root only |
//! | `tissue` | code of the tissue-level ancestor (itself for tissues) |
//! | `doids` | `;`-separated DOIDs this node stands for (may be empty) |
//! | `doid_names` | their Disease Ontology names, same order |
//! | `aliases` | `;`-separated other names knowledge bases use |
//!
//! Evidence for a disease applies to the sample's tumour type when a node
//! the disease maps to is the sample's node or one of its ancestors:
//! evidence for "cancer" (DOID:162, the root) applies everywhere, for "lung
//! non-small cell carcinoma" (DOID:3908, `NSCLC`) to `LUAD`, but evidence
//! for `LUAD` does not apply to a sample typed only as `NSCLC`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use sha2::{Digest, Sha256};
use variant_model::evidence::Disease;

/// A malformed ontology file, with the line at fault.
#[derive(Debug, thiserror::Error)]
#[error("{location}: {message}")]
pub struct OntologyError {
    pub location: String,
    pub message: String,
}

/// One OncoTree node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub code: String,
    pub name: String,
    pub parent: Option<String>,
    pub tissue: String,
    pub doids: Vec<String>,
}

/// The loaded mapping.
#[derive(Debug, Clone)]
pub struct Ontology {
    nodes: BTreeMap<String, Node>,
    by_doid: BTreeMap<String, BTreeSet<String>>,
    by_name: BTreeMap<String, BTreeSet<String>>,
    /// File name and sha256, for provenance.
    pub file_name: String,
    pub sha256: String,
}

/// How an evidence disease relates to the sample's tumour type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Relation {
    /// The disease is the sample's type or contains it; `via` is the node
    /// it matched.
    Same { via: String },
    /// The disease is placed in the ontology but does not contain the
    /// sample's type.
    Other { placed_at: Vec<String> },
    /// The ontology cannot place the disease.
    Unmapped,
}

const COLUMNS: [&str; 7] = [
    "oncotree_code",
    "oncotree_name",
    "parent_code",
    "tissue",
    "doids",
    "doid_names",
    "aliases",
];

fn split_list(field: &str) -> Vec<String> {
    field
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

impl Ontology {
    /// Reads and validates the mapping file.
    pub fn load(path: &Path) -> Result<Self, OntologyError> {
        let text = std::fs::read_to_string(path).map_err(|e| OntologyError {
            location: path.display().to_string(),
            message: format!("cannot read ontology mapping: {e}"),
        })?;
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Self::parse(&text, &path.display().to_string(), &file_name)
    }

    /// Parses mapping text; `display` names it in errors.
    pub fn parse(text: &str, display: &str, file_name: &str) -> Result<Self, OntologyError> {
        let err = |line: usize, message: String| OntologyError {
            location: format!("{display}:{line}"),
            message,
        };
        let mut nodes = BTreeMap::new();
        let mut by_doid: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut by_name: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut line_of = BTreeMap::new();
        let mut header_seen = false;
        for (index, line) in text.lines().enumerate() {
            let line_no = index + 1;
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            if !header_seen {
                if fields != COLUMNS {
                    return Err(err(
                        line_no,
                        format!("header must be the columns {}", COLUMNS.join(", ")),
                    ));
                }
                header_seen = true;
                continue;
            }
            if fields.len() != COLUMNS.len() {
                return Err(err(
                    line_no,
                    format!(
                        "{} tab-separated fields, expected {}",
                        fields.len(),
                        COLUMNS.len()
                    ),
                ));
            }
            let code = fields[0].trim().to_string();
            if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(err(line_no, format!("`{code}` is not an OncoTree code")));
            }
            let doids = split_list(fields[4]);
            let doid_names = split_list(fields[5]);
            for doid in &doids {
                let ok = doid
                    .strip_prefix("DOID:")
                    .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
                if !ok {
                    return Err(err(
                        line_no,
                        format!("`{doid}` is not a DOID (DOID:<digits>)"),
                    ));
                }
            }
            if doids.len() != doid_names.len() {
                return Err(err(
                    line_no,
                    format!("{} DOIDs but {} DOID names", doids.len(), doid_names.len()),
                ));
            }
            let node = Node {
                code: code.clone(),
                name: fields[1].trim().to_string(),
                parent: Some(fields[2].trim().to_string()).filter(|p| !p.is_empty()),
                tissue: fields[3].trim().to_string(),
                doids: doids.clone(),
            };
            for doid in doids {
                by_doid.entry(doid).or_default().insert(code.clone());
            }
            let names = std::iter::once(node.name.clone())
                .chain(doid_names)
                .chain(split_list(fields[6]));
            for name in names {
                by_name
                    .entry(name.to_lowercase())
                    .or_default()
                    .insert(code.clone());
            }
            if nodes.insert(code.clone(), node).is_some() {
                return Err(err(line_no, format!("OncoTree code {code} appears twice")));
            }
            line_of.insert(code, line_no);
        }
        if !header_seen {
            return Err(err(1, "no header line and no rows".into()));
        }
        let ontology = Self {
            nodes,
            by_doid,
            by_name,
            file_name: file_name.to_string(),
            sha256: Sha256::digest(text.as_bytes())
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect(),
        };
        // Structure: one root, every parent and tissue known, no cycles.
        let roots: Vec<_> = ontology
            .nodes
            .values()
            .filter(|n| n.parent.is_none())
            .collect();
        if roots.len() != 1 {
            return Err(err(
                1,
                format!(
                    "expected exactly one root (empty parent_code), found {}",
                    roots.len()
                ),
            ));
        }
        for node in ontology.nodes.values() {
            let line = line_of[&node.code];
            if let Some(parent) = &node.parent
                && !ontology.nodes.contains_key(parent)
            {
                return Err(err(
                    line,
                    format!("parent {parent} of {} is not defined", node.code),
                ));
            }
            let mut seen = BTreeSet::new();
            let mut current = Some(node.code.as_str());
            while let Some(code) = current {
                if !seen.insert(code) {
                    return Err(err(line, format!("{} is its own ancestor", node.code)));
                }
                current = ontology.nodes[code].parent.as_deref();
            }
            let is_root = node.parent.is_none();
            if !is_root && !ontology.contains(&node.tissue, &node.code) {
                return Err(err(
                    line,
                    format!(
                        "tissue {} is not {} or one of its ancestors",
                        node.tissue, node.code
                    ),
                ));
            }
        }
        Ok(ontology)
    }

    pub fn node(&self, code: &str) -> Option<&Node> {
        self.nodes.get(code)
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// True when `code` is `ancestor` or lies below it.
    pub fn contains(&self, ancestor: &str, code: &str) -> bool {
        let mut current = self.nodes.get(code);
        while let Some(node) = current {
            if node.code == ancestor {
                return true;
            }
            current = node.parent.as_deref().and_then(|p| self.nodes.get(p));
        }
        false
    }

    /// The nodes a disease maps to: by OncoTree code, else DOID, else name.
    pub fn place(&self, disease: &Disease) -> Vec<String> {
        if let Some(code) = &disease.oncotree
            && self.nodes.contains_key(code.trim())
        {
            return vec![code.trim().to_string()];
        }
        if let Some(doid) = &disease.doid {
            let doid = doid.trim();
            // CIViC writes bare numbers; the ontology keeps the prefix.
            let key = if doid.starts_with("DOID:") {
                doid.to_string()
            } else {
                format!("DOID:{doid}")
            };
            if let Some(codes) = self.by_doid.get(&key) {
                return codes.iter().cloned().collect();
            }
        }
        self.by_name
            .get(&disease.name.trim().to_lowercase())
            .map(|codes| codes.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// How evidence for `disease` relates to a sample of type `sample`.
    pub fn relation(&self, disease: &Disease, sample: &str) -> Relation {
        let placed = self.place(disease);
        if placed.is_empty() {
            return Relation::Unmapped;
        }
        match placed.iter().find(|code| self.contains(code, sample)) {
            Some(code) => Relation::Same { via: code.clone() },
            None => Relation::Other { placed_at: placed },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = "# test\n\
oncotree_code\toncotree_name\tparent_code\ttissue\tdoids\tdoid_names\taliases\n\
TISSUE\tTissue\t\tTISSUE\tDOID:162\tcancer\tAll Tumors\n\
LUNG\tLung\tTISSUE\tLUNG\tDOID:1324\tlung cancer\t\n\
NSCLC\tNon-Small Cell Lung Cancer\tLUNG\tLUNG\tDOID:3908\tlung non-small cell carcinoma\t\n\
LUAD\tLung Adenocarcinoma\tNSCLC\tLUNG\tDOID:3910\tlung adenocarcinoma\t\n\
SKIN\tSkin\tTISSUE\tSKIN\t\t\t\n";

    fn small() -> Ontology {
        Ontology::parse(SMALL, "t.tsv", "t.tsv").unwrap()
    }

    fn disease(name: &str, doid: Option<&str>, oncotree: Option<&str>) -> Disease {
        Disease {
            name: name.into(),
            doid: doid.map(str::to_string),
            oncotree: oncotree.map(str::to_string),
        }
    }

    #[test]
    fn broader_evidence_applies_to_narrower_samples_only() {
        let o = small();
        assert_eq!(
            o.relation(&disease("Cancer", Some("DOID:162"), None), "LUAD"),
            Relation::Same {
                via: "TISSUE".into()
            }
        );
        assert_eq!(
            o.relation(&disease("NSCLC", Some("3908"), None), "LUAD"),
            Relation::Same {
                via: "NSCLC".into()
            }
        );
        assert_eq!(
            o.relation(&disease("x", None, Some("LUAD")), "NSCLC"),
            Relation::Other {
                placed_at: vec!["LUAD".into()]
            }
        );
        assert_eq!(
            o.relation(&disease("Lung Adenocarcinoma", None, None), "LUAD"),
            Relation::Same { via: "LUAD".into() }
        );
        assert_eq!(
            o.relation(&disease("All Tumors", None, None), "SKIN"),
            Relation::Same {
                via: "TISSUE".into()
            }
        );
        assert_eq!(
            o.relation(&disease("Nothing", Some("DOID:1"), None), "LUAD"),
            Relation::Unmapped
        );
    }

    #[test]
    fn malformed_files_name_the_line() {
        let bad_parent = SMALL.replace(
            "LUAD\tLung Adenocarcinoma\tNSCLC",
            "LUAD\tLung Adenocarcinoma\tNSCLCX",
        );
        let e = Ontology::parse(&bad_parent, "t.tsv", "t.tsv").unwrap_err();
        assert_eq!(e.location, "t.tsv:6");
        assert!(e.message.contains("parent NSCLCX"), "{e}");

        let bad_doid = SMALL.replace("DOID:3910", "3910");
        let e = Ontology::parse(&bad_doid, "t.tsv", "t.tsv").unwrap_err();
        assert_eq!(e.location, "t.tsv:6");

        let duplicate = format!("{SMALL}LUAD\tx\tLUNG\tLUNG\t\t\t\n");
        let e = Ontology::parse(&duplicate, "t.tsv", "t.tsv").unwrap_err();
        assert!(e.message.contains("twice"), "{e}");

        let short = SMALL.replace("SKIN\tSkin\tTISSUE\tSKIN\t\t\t", "SKIN\tSkin");
        let e = Ontology::parse(&short, "t.tsv", "t.tsv").unwrap_err();
        assert_eq!(e.location, "t.tsv:7");

        let cycle = SMALL.replace("LUNG\tLung\tTISSUE", "LUNG\tLung\tLUAD");
        assert!(Ontology::parse(&cycle, "t.tsv", "t.tsv").is_err());
    }
}
