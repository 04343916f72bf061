//! Deterministic pseudo-random numbers for synthetic sequence.

use variant_model::protein::GeneticCode;

/// SplitMix64: tiny, deterministic and good enough for synthetic sequence.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64, salt: &str) -> Self {
        let mut s = seed;
        for b in salt.bytes() {
            s = s.rotate_left(7) ^ u64::from(b);
        }
        Rng(s)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[(self.next_u64() % items.len() as u64) as usize]
    }

    pub fn bases(&mut self, n: u64, alphabet: &[u8]) -> Vec<u8> {
        (0..n).map(|_| self.pick(alphabet)).collect()
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo + 1)
    }
}

/// The 61 sense codons of the standard genetic code.
pub fn sense_codons() -> Vec<[u8; 3]> {
    let mut out = Vec::new();
    for a in b"ACGT" {
        for b in b"ACGT" {
            for c in b"ACGT" {
                let codon = [*a, *b, *c];
                if GeneticCode::Standard.translate_codon(&codon) != b'*' {
                    out.push(codon);
                }
            }
        }
    }
    out
}
