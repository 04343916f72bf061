//! The minimal form of an allele that consequence prediction works on.

use variant_model::GenomicAllele;

/// An allele with shared leading and trailing bases removed, on the forward
/// strand. `start..=end` are the replaced reference bases; an insertion has
/// `end == start - 1` (it lies between `end` and `start`), as in Ensembl.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub start: u64,
    pub end: u64,
    pub ref_bases: Vec<u8>,
    pub alt_bases: Vec<u8>,
}

impl Variant {
    /// Trims shared trailing, then leading bases of a REF/ALT pair. `None`
    /// for symbolic alleles, `*`, or ALT equal to REF.
    pub fn from_allele(allele: &GenomicAllele) -> Option<Self> {
        Self::from_parts(
            allele.pos,
            allele.ref_allele.as_bytes(),
            allele.alt_allele.as_bytes(),
        )
    }

    pub fn from_parts(pos: u64, ref_allele: &[u8], alt_allele: &[u8]) -> Option<Self> {
        let is_base = |b: &u8| matches!(b.to_ascii_uppercase(), b'A' | b'C' | b'G' | b'T' | b'N');
        if ref_allele.is_empty()
            || alt_allele.is_empty()
            || !ref_allele.iter().all(is_base)
            || !alt_allele.iter().all(is_base)
            || ref_allele.eq_ignore_ascii_case(alt_allele)
        {
            return None;
        }
        let r: Vec<u8> = ref_allele.to_ascii_uppercase();
        let a: Vec<u8> = alt_allele.to_ascii_uppercase();
        let mut suffix = 0;
        while suffix < r.len().min(a.len()) && r[r.len() - 1 - suffix] == a[a.len() - 1 - suffix] {
            suffix += 1;
        }
        let (r, a) = (&r[..r.len() - suffix], &a[..a.len() - suffix]);
        let mut prefix = 0;
        while prefix < r.len().min(a.len()) && r[prefix] == a[prefix] {
            prefix += 1;
        }
        let (r, a) = (&r[prefix..], &a[prefix..]);
        let start = pos + prefix as u64;
        Some(Self {
            start,
            end: start + r.len() as u64 - 1,
            ref_bases: r.to_vec(),
            alt_bases: a.to_vec(),
        })
    }

    pub fn is_insertion(&self) -> bool {
        self.ref_bases.is_empty()
    }

    pub fn is_deletion(&self) -> bool {
        self.alt_bases.is_empty()
    }

    pub fn is_snv(&self) -> bool {
        self.ref_bases.len() == 1 && self.alt_bases.len() == 1
    }

    /// ALT length minus REF length.
    pub fn length_change(&self) -> i64 {
        self.alt_bases.len() as i64 - self.ref_bases.len() as i64
    }

    /// Ensembl's overlap test, in which an insertion (`end = start - 1`)
    /// overlaps a range only when it lies strictly inside it.
    pub fn overlaps(&self, start: u64, end: u64) -> bool {
        self.end >= start && self.start <= end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_to_the_minimal_allele() {
        let v = Variant::from_parts(100, b"A", b"AT").unwrap();
        assert_eq!((v.start, v.end), (101, 100));
        assert!(v.is_insertion());
        assert_eq!(v.alt_bases, b"T");
        let v = Variant::from_parts(100, b"ATT", b"A").unwrap();
        assert_eq!((v.start, v.end), (101, 102));
        assert!(v.is_deletion());
        let v = Variant::from_parts(100, b"CAT", b"GAT").unwrap();
        assert_eq!((v.start, v.end, v.is_snv()), (100, 100, true));
        assert!(Variant::from_parts(1, b"A", b"<DEL>").is_none());
        assert!(Variant::from_parts(1, b"A", b"A").is_none());
        assert!(Variant::from_parts(1, b"A", b"*").is_none());
        let ins = Variant::from_parts(10, b"A", b"AG").unwrap();
        assert!(ins.overlaps(5, 20));
        assert!(!ins.overlaps(11, 20));
        assert!(!ins.overlaps(5, 10));
    }
}
