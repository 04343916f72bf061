//! Format-independent assembly of a transcript from its parts (exons, CDS,
//! UTRs, stop codons), with the checks both readers share, and the
//! attribute conventions (identifiers, versions, tags) common to GFF3 and
//! GTF.

use variant_model::Strand;

use super::{CdsSegment, Exon, GeneModelError, LoadSummary, ReadOptions, Transcript};

/// A located part of a transcript and the line it was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Part {
    pub start: u64,
    pub end: u64,
    pub line: u64,
}

/// A CDS line: its part and its phase (`None` for `.`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CdsPart {
    pub part: Part,
    pub phase: Option<u8>,
}

/// Everything read about one transcript, before checking and assembling.
/// `transcript` carries the attributes; its `exons`, `cds`, `start` and
/// `end` are filled by [`TranscriptDraft::assemble`].
#[derive(Debug, Default)]
pub(crate) struct TranscriptDraft {
    pub transcript: Transcript,
    /// Line defining the transcript (or its first part), for messages.
    pub line: u64,
    /// Extent given by the transcript's own line, if it has one.
    pub extent: Option<(u64, u64)>,
    pub exons: Vec<Part>,
    pub cds: Vec<CdsPart>,
    /// UTRs and start codons: only used to derive exons when none are given.
    pub other_parts: Vec<Part>,
    /// Stop codons given apart from the CDS (GTF): merged into the CDS.
    pub stop_codons: Vec<Part>,
}

impl TranscriptDraft {
    /// Checks the parts and builds the transcript: exons sorted and
    /// numbered, CDS with stop codon and phases, flags for incomplete CDS.
    pub fn assemble(
        mut self,
        path: &str,
        options: &ReadOptions,
        summary: &mut LoadSummary,
    ) -> Result<Transcript, GeneModelError> {
        let id = self.transcript.versioned_id();
        let invalid = |line: u64, message: String| GeneModelError::Invalid {
            path: path.to_string(),
            line,
            message,
        };

        // Exons: given, or derived from CDS/UTR/codon parts (GFF3 files such
        // as bcftools' test models list only CDS).
        let mut exons: Vec<Part> = if self.exons.is_empty() {
            let mut pieces: Vec<Part> = self
                .cds
                .iter()
                .map(|c| c.part)
                .chain(self.other_parts.iter().copied())
                .chain(self.stop_codons.iter().copied())
                .collect();
            pieces.sort_by_key(|p| (p.start, p.end));
            let mut merged: Vec<Part> = Vec::new();
            for p in pieces {
                match merged.last_mut() {
                    Some(last) if p.start <= last.end + 1 => last.end = last.end.max(p.end),
                    _ => merged.push(p),
                }
            }
            if !merged.is_empty() {
                summary.note(
                    "transcripts without exon features (exons taken from CDS/UTR)",
                    || format!("line {}: {id}", self.line),
                );
            }
            merged
        } else {
            std::mem::take(&mut self.exons)
        };
        exons.sort_by_key(|p| (p.start, p.end));
        let before = exons.len();
        exons.dedup_by_key(|p| (p.start, p.end));
        if exons.len() < before {
            summary.note("duplicate exon lines (merged)", || {
                format!("line {}: {id}", self.line)
            });
        }
        if exons.is_empty() {
            return Err(invalid(self.line, format!("transcript {id} has no exons")));
        }
        for pair in exons.windows(2) {
            if pair[1].start <= pair[0].end {
                return Err(invalid(
                    pair[1].line,
                    format!(
                        "exon {}-{} overlaps exon {}-{} (line {}) of transcript {id}",
                        pair[1].start, pair[1].end, pair[0].start, pair[0].end, pair[0].line
                    ),
                ));
            }
        }
        let exon_containing = |p: &Part| {
            exons
                .iter()
                .position(|e| e.start <= p.start && p.end <= e.end)
        };

        // CDS: every segment inside one exon; stop codons merged in.
        let mut cds = std::mem::take(&mut self.cds);
        cds.sort_by_key(|c| (c.part.start, c.part.end));
        let before = cds.len();
        cds.dedup_by_key(|c| (c.part.start, c.part.end, c.phase));
        if cds.len() < before {
            summary.note("duplicate CDS lines (merged)", || {
                format!("line {}: {id}", self.line)
            });
        }
        for c in &cds {
            if exon_containing(&c.part).is_none() {
                return Err(invalid(
                    c.part.line,
                    format!(
                        "CDS {}-{} of transcript {id} is not inside any of its exons",
                        c.part.start, c.part.end
                    ),
                ));
            }
        }
        let strand = self.transcript.strand;
        let mut added_stops = 0;
        for stop in std::mem::take(&mut self.stop_codons) {
            let Some(exon) = exon_containing(&stop).map(|i| exons[i]) else {
                return Err(invalid(
                    stop.line,
                    format!(
                        "stop codon {}-{} of transcript {id} is not inside any of its exons",
                        stop.start, stop.end
                    ),
                ));
            };
            if cds
                .iter()
                .any(|c| c.part.start <= stop.start && stop.end <= c.part.end)
            {
                continue; // already part of the CDS (GFF3 convention)
            }
            // Extend the CDS segment of the same exon that it touches.
            let touching = cds.iter_mut().find(|c| {
                c.part.start >= exon.start
                    && c.part.end <= exon.end
                    && c.part.start <= stop.end + 1
                    && stop.start <= c.part.end + 1
            });
            match touching {
                Some(c) => {
                    let extends_5prime = match strand {
                        Strand::Forward => stop.start < c.part.start,
                        Strand::Reverse => stop.end > c.part.end,
                    };
                    if extends_5prime {
                        return Err(invalid(
                            stop.line,
                            format!("stop codon of transcript {id} lies 5' of its CDS"),
                        ));
                    }
                    c.part.start = c.part.start.min(stop.start);
                    c.part.end = c.part.end.max(stop.end);
                }
                None => {
                    // A stop codon alone in the last exon: phase set below.
                    cds.push(CdsPart {
                        part: stop,
                        phase: None,
                    });
                    added_stops += 1;
                }
            }
        }
        cds.sort_by_key(|c| (c.part.start, c.part.end));

        // Phases, in transcript order.
        let mut in_tx_order: Vec<usize> = (0..cds.len()).collect();
        if strand == Strand::Reverse {
            in_tx_order.reverse();
        }
        let given = cds.iter().filter(|c| c.phase.is_some()).count();
        let missing_from_file = cds.len() - given - added_stops;
        if missing_from_file > 0 {
            let first_missing = cds.iter().find(|c| c.phase.is_none()).expect("counted");
            if given > 0 || !options.lenient {
                return Err(invalid(
                    first_missing.part.line,
                    format!(
                        "CDS {}-{} of transcript {id} has no phase (column 8 is `.`){}",
                        first_missing.part.start,
                        first_missing.part.end,
                        if given > 0 {
                            ""
                        } else {
                            "; --lenient infers phases for transcripts without any"
                        }
                    ),
                ));
            }
            summary.note(
                "transcripts whose CDS has no phase (phases inferred from a complete 5' end, --lenient)",
                || format!("line {}: {id}", first_missing.part.line),
            );
        }
        let mut expected_phase: Option<u8> = None;
        let mut inconsistent = false;
        for &i in &in_tx_order {
            let c = &mut cds[i];
            let phase = match (c.phase, expected_phase) {
                (Some(p), Some(e)) => {
                    inconsistent |= p != e;
                    p
                }
                (Some(p), None) => p,
                (None, Some(e)) => e,
                (None, None) => 0,
            };
            c.phase = Some(phase);
            let len = c.part.end - c.part.start + 1;
            // Bases left after this segment's last complete codon decide how
            // many the next segment needs to finish that codon.
            let rest = (len.saturating_sub(u64::from(phase))) % 3;
            expected_phase = Some(((3 - rest) % 3) as u8);
        }
        if inconsistent {
            summary.note(
                "coding transcripts whose CDS phases do not follow from segment lengths (frameshift in the model)",
                || format!("line {}: {id}", self.line),
            );
        }

        let first_phase = in_tx_order.first().and_then(|&i| cds[i].phase).unwrap_or(0);
        let t = &mut self.transcript;
        if first_phase != 0 && !t.cds_start_nf {
            t.cds_start_nf = true;
            summary.note(
                "transcripts with a 5' incomplete CDS seen from its phase (cds_start_NF)",
                || format!("line {}: {id}", self.line),
            );
        }

        // Extent: the transcript line's, widened to its exons if needed.
        let exon_start = exons.first().expect("not empty").start;
        let exon_end = exons.iter().map(|e| e.end).max().expect("not empty");
        let (start, end) = match self.extent {
            Some((s, e)) => {
                if exon_start < s || exon_end > e {
                    summary.note(
                        "transcripts whose exons extend beyond the transcript line (extent widened)",
                        || format!("line {}: {id}", self.line),
                    );
                }
                (s.min(exon_start), e.max(exon_end))
            }
            None => (exon_start, exon_end),
        };
        t.start = start;
        t.end = end;

        let n = exons.len() as u32;
        t.exons = exons
            .iter()
            .enumerate()
            .map(|(i, e)| Exon {
                start: e.start,
                end: e.end,
                number: match strand {
                    Strand::Forward => i as u32 + 1,
                    Strand::Reverse => n - i as u32,
                },
            })
            .collect();
        t.cds = cds
            .iter()
            .map(|c| CdsSegment {
                start: c.part.start,
                end: c.part.end,
                phase: c.phase.unwrap_or(0),
            })
            .collect();
        Ok(self.transcript)
    }
}

/// Splits `ENST00000288602.11` into (`ENST00000288602`, `11`) when the part
/// after the last dot is a number and the part before it looks like an
/// accession (letters/underscores then digits); other identifiers
/// (`C41D11.1a.2`, `ENST00000431238.7_PAR_Y`) are kept whole.
pub(crate) fn split_version(id: &str) -> (String, Option<String>) {
    if let Some((stem, version)) = id.rsplit_once('.') {
        let digits_at_end = stem.bytes().rev().take_while(u8::is_ascii_digit).count();
        let prefix = &stem[..stem.len() - digits_at_end];
        let accession_like = digits_at_end > 0
            && !prefix.is_empty()
            && prefix.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_');
        if accession_like && !version.is_empty() && version.bytes().all(|b| b.is_ascii_digit()) {
            return (stem.to_string(), Some(version.to_string()));
        }
    }
    (id.to_string(), None)
}

/// Drops a version from an Ensembl/RefSeq accession (`ENSG00000290825.1`).
pub(crate) fn strip_version(id: &str) -> String {
    split_version(id).0
}

/// The transcript support level as VEP shows it: `1 (assigned to previous
/// version 5)` → `1`.
pub(crate) fn tsl_value(raw: &str) -> Option<String> {
    raw.split_whitespace().next().map(str::to_string)
}

/// Sets the flags that tags carry (Ensembl/GENCODE spelling with
/// underscores, RefSeq spelling with spaces). MANE values are the
/// transcript's own versioned identifier (see [`Transcript::mane_select`]).
pub(crate) fn apply_tags(t: &mut Transcript) {
    let own = t.versioned_id();
    for tag in &t.tags {
        match tag.as_str() {
            "MANE_Select" | "MANE Select" => t.mane_select = Some(own.clone()),
            "MANE_Plus_Clinical" | "MANE Plus Clinical" => t.mane_plus_clinical = Some(own.clone()),
            "Ensembl_canonical" => t.is_canonical = true,
            "cds_start_NF" => t.cds_start_nf = true,
            "cds_end_NF" => t.cds_end_nf = true,
            _ => {}
        }
    }
}

/// Where a `[Source:...;Acc:...]` note in an Ensembl gene description says
/// the symbol comes from, in VEP's SYMBOL_SOURCE spelling, and the HGNC
/// identifier when the source is HGNC.
pub(crate) fn description_source(description: &str) -> (Option<String>, Option<String>) {
    let Some(start) = description.rfind("[Source:") else {
        return (None, None);
    };
    let note = description[start + "[Source:".len()..].trim_end_matches(']');
    let (source, accession) = match note.split_once(";Acc:") {
        Some((s, a)) => (s, Some(a)),
        None => (note, None),
    };
    match source {
        "HGNC Symbol" => {
            let hgnc = accession.map(|a| {
                if a.starts_with("HGNC:") {
                    a.to_string()
                } else {
                    format!("HGNC:{a}")
                }
            });
            (Some("HGNC".into()), hgnc)
        }
        s if s.starts_with("NCBI gene") || s == "EntrezGene" => (Some("EntrezGene".into()), None),
        "RFAM" | "miRBase" => (Some(source.to_string()), None),
        _ => (None, None),
    }
}

/// Ensembl-style biotype for a RefSeq/NCBI feature type (and its
/// `ncrna_class`/`gbkey`), so picking and consequences treat RefSeq
/// transcripts like Ensembl ones.
pub(crate) fn refseq_biotype(
    feature_type: &str,
    ncrna_class: Option<&str>,
    has_cds: bool,
) -> String {
    match feature_type {
        "mRNA" if has_cds => "protein_coding".into(),
        "mRNA" => "processed_transcript".into(),
        "lnc_RNA" | "lncRNA" => "lncRNA".into(),
        "ncRNA" => match ncrna_class {
            Some("lncRNA") => "lncRNA".into(),
            Some("antisense_RNA") => "antisense_RNA".into(),
            Some(other) => other.to_string(),
            None => "ncRNA".into(),
        },
        "transcript" => "misc_RNA".into(),
        "primary_transcript" => "miRNA".into(),
        "NMD_transcript_variant" => "nonsense_mediated_decay".into(),
        "V_gene_segment" | "D_gene_segment" | "J_gene_segment" | "C_gene_segment" => {
            feature_type.to_string()
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(start: u64, end: u64, line: u64) -> Part {
        Part { start, end, line }
    }

    fn cds(start: u64, end: u64, phase: Option<u8>, line: u64) -> CdsPart {
        CdsPart {
            part: part(start, end, line),
            phase,
        }
    }

    fn draft(strand: Strand) -> TranscriptDraft {
        TranscriptDraft {
            transcript: Transcript {
                id: "T1".into(),
                strand,
                ..Default::default()
            },
            line: 1,
            ..Default::default()
        }
    }

    fn assemble(d: TranscriptDraft, lenient: bool) -> Result<Transcript, GeneModelError> {
        d.assemble(
            "t.gff",
            &ReadOptions { lenient },
            &mut LoadSummary::default(),
        )
    }

    #[test]
    fn versions_split_only_from_accessions() {
        assert_eq!(
            split_version("ENST00000288602.11"),
            ("ENST00000288602".into(), Some("11".into()))
        );
        assert_eq!(
            split_version("NM_004333.6"),
            ("NM_004333".into(), Some("6".into()))
        );
        assert_eq!(split_version("C41D11.1a.2"), ("C41D11.1a.2".into(), None));
        assert_eq!(
            split_version("ENST00000431238.7_PAR_Y"),
            ("ENST00000431238.7_PAR_Y".into(), None)
        );
        assert_eq!(split_version("gtrV"), ("gtrV".into(), None));
        assert_eq!(split_version("12.3"), ("12.3".into(), None));
    }

    #[test]
    fn description_sources() {
        assert_eq!(
            description_source("B-Raf [Source:HGNC Symbol;Acc:HGNC:1097]"),
            (Some("HGNC".into()), Some("HGNC:1097".into()))
        );
        assert_eq!(
            description_source("T cell receptor alpha joining 17 [Source:HGNC Symbol;Acc:12045]"),
            (Some("HGNC".into()), Some("HGNC:12045".into()))
        );
        assert_eq!(
            description_source("Y RNA [Source:RFAM;Acc:RF00019]"),
            (Some("RFAM".into()), None)
        );
        assert_eq!(
            description_source("x [Source:RefSeq mRNA;Acc:NM_001320643]"),
            (None, None)
        );
        assert_eq!(description_source("no note"), (None, None));
    }

    #[test]
    fn exons_are_numbered_in_transcript_order() {
        let mut d = draft(Strand::Reverse);
        d.exons = vec![part(500, 600, 3), part(100, 200, 2), part(300, 400, 4)];
        let t = assemble(d, false).unwrap();
        let numbered: Vec<(u64, u32)> = t.exons.iter().map(|e| (e.start, e.number)).collect();
        assert_eq!(numbered, [(100, 3), (300, 2), (500, 1)]);
        assert_eq!((t.start, t.end), (100, 600));
    }

    #[test]
    fn gtf_stop_codons_join_the_cds() {
        // Forward strand: CDS ends at 190, stop codon 191-193 in the same exon.
        let mut d = draft(Strand::Forward);
        d.exons = vec![part(100, 200, 2)];
        d.cds = vec![cds(110, 190, Some(0), 3)];
        d.stop_codons = vec![part(191, 193, 4)];
        let t = assemble(d, false).unwrap();
        assert_eq!(
            t.cds,
            [CdsSegment {
                start: 110,
                end: 193,
                phase: 0
            }]
        );

        // Reverse strand, stop codon alone in the last (lowest) exon, after
        // a CDS segment of 10 bases with phase 0 (1 base left over): the new
        // segment needs phase 2.
        let mut d = draft(Strand::Reverse);
        d.exons = vec![part(100, 150, 2), part(300, 400, 3)];
        d.cds = vec![cds(300, 309, Some(0), 4)];
        d.stop_codons = vec![part(148, 150, 5)];
        let t = assemble(d, false).unwrap();
        assert_eq!(
            t.cds,
            [
                CdsSegment {
                    start: 148,
                    end: 150,
                    phase: 2
                },
                CdsSegment {
                    start: 300,
                    end: 309,
                    phase: 0
                }
            ]
        );
        // The stop codon was inside the GFF3 CDS already: unchanged.
        let mut d = draft(Strand::Forward);
        d.exons = vec![part(100, 200, 2)];
        d.cds = vec![cds(110, 193, Some(0), 3)];
        d.stop_codons = vec![part(191, 193, 4)];
        assert_eq!(assemble(d, false).unwrap().cds[0].end, 193);
    }

    #[test]
    fn cds_outside_exons_is_an_error_naming_the_line() {
        let mut d = draft(Strand::Forward);
        d.exons = vec![part(100, 200, 2)];
        d.cds = vec![cds(150, 250, Some(0), 7)];
        let err = assemble(d, false).unwrap_err().to_string();
        assert!(
            err.starts_with("t.gff:7: CDS 150-250 of transcript T1"),
            "{err}"
        );
    }

    #[test]
    fn overlapping_exons_are_an_error() {
        let mut d = draft(Strand::Forward);
        d.exons = vec![part(100, 200, 2), part(150, 300, 3)];
        let err = assemble(d, false).unwrap_err().to_string();
        assert!(err.starts_with("t.gff:3: exon 150-300 overlaps"), "{err}");
    }

    #[test]
    fn missing_phase_is_an_error_unless_lenient() {
        let make = || {
            let mut d = draft(Strand::Reverse);
            d.cds = vec![cds(100, 109, None, 2), cds(200, 210, None, 3)];
            d
        };
        let err = assemble(make(), false).unwrap_err().to_string();
        assert!(err.starts_with("t.gff:2: CDS 100-109"), "{err}");
        assert!(err.contains("--lenient"), "{err}");
        let t = assemble(make(), true).unwrap();
        // Reverse strand: 200-210 is first (11 bases, phase 0, 2 left over),
        // so 100-109 has phase 1. Exons are taken from the CDS.
        assert_eq!(t.cds.iter().map(|c| c.phase).collect::<Vec<_>>(), [1, 0]);
        assert_eq!(t.exons.len(), 2);
        assert!(!t.cds_start_nf);

        // Mixed given and missing phases: always an error.
        let mut d = draft(Strand::Forward);
        d.cds = vec![cds(100, 109, Some(0), 2), cds(200, 210, None, 3)];
        assert!(assemble(d, true).is_err());
    }

    #[test]
    fn first_phase_marks_an_incomplete_start() {
        let mut d = draft(Strand::Forward);
        d.cds = vec![cds(100, 110, Some(2), 2)];
        assert!(assemble(d, false).unwrap().cds_start_nf);
        let mut d = draft(Strand::Reverse);
        d.cds = vec![cds(100, 110, Some(2), 2), cds(200, 211, Some(0), 3)];
        assert!(!assemble(d, false).unwrap().cds_start_nf);
    }

    #[test]
    fn ribosomal_slippage_keeps_overlapping_segments() {
        let mut d = draft(Strand::Forward);
        d.cds = vec![cds(13463, 13468, Some(0), 2), cds(13468, 13473, Some(0), 3)];
        let t = assemble(d, false).unwrap();
        assert_eq!(t.cds.len(), 2);
        assert_eq!(t.cds_length(), 12);
        assert_eq!(
            t.exons,
            [Exon {
                start: 13463,
                end: 13473,
                number: 1
            }]
        );
    }

    #[test]
    fn tags_set_flags() {
        let mut t = Transcript {
            id: "ENST1".into(),
            version: Some("2".into()),
            tags: vec![
                "basic".into(),
                "Ensembl_canonical".into(),
                "MANE_Select".into(),
                "cds_end_NF".into(),
            ],
            ..Default::default()
        };
        apply_tags(&mut t);
        assert!(t.is_canonical && t.cds_end_nf && !t.cds_start_nf);
        assert_eq!(t.mane_select.as_deref(), Some("ENST1.2"));
        let mut r = Transcript {
            id: "NM_1".into(),
            tags: vec!["MANE Plus Clinical".into()],
            ..Default::default()
        };
        apply_tags(&mut r);
        assert_eq!(r.mane_plus_clinical.as_deref(), Some("NM_1"));
        assert_eq!(r.mane_select, None);
    }
}
