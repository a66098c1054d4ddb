//! A blocked Bloom filter over the keys of a knowledge-base map, written by the build
//! script beside the map and read in place.
//!
//! The recogniser asks the base about far more strings than it knows: of 190,000
//! place look-ups on the development articles, 94 % were misses (every span of
//! capitalised words is tried as a place name), and an fst walk costs about as much
//! for a miss as for a hit. The filter answers most misses from one cache line.
//!
//! Each key sets [`PROBES`] bits in one 512-bit block chosen by its hash; about ten
//! bits per key leave some 1–2 % false positives, which the map then answers.
//!
//! Layout: the block count (u64, little-endian), then the blocks.

/// Bits of one block: one 64-byte cache line.
const BLOCK_BITS: u64 = 512;
const BLOCK_BYTES: usize = (BLOCK_BITS / 8) as usize;

/// Bits set per key.
const PROBES: u64 = 6;

/// Bits of filter per key.
const BITS_PER_KEY: u64 = 10;

/// A stable 64-bit hash (eight bytes a step, then a finaliser that spreads the bits):
/// the build script and the program must agree on it, whatever the compiler's own
/// hashers do.
fn hash(key: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h: u64 = key.len() as u64;
    let mut chunks = key.chunks_exact(8);
    for c in &mut chunks {
        let word = u64::from_le_bytes(c.try_into().unwrap_or_default());
        h = (h.rotate_left(5) ^ word).wrapping_mul(K);
    }
    let mut tail = [0u8; 8];
    tail[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    h = (h.rotate_left(5) ^ u64::from_le_bytes(tail)).wrapping_mul(K);
    // splitmix64's finaliser.
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// The block of a hash and the bits it sets there.
fn probes(h: u64, blocks: u64) -> (usize, impl Iterator<Item = usize>) {
    // The high half picks the block (a multiply-shift range reduction), the low
    // half the bits (double hashing within the block).
    let block = (((h >> 32) * blocks) >> 32) as usize;
    let (a, b) = (h & 0xffff, ((h >> 16) & 0xffff) | 1);
    let bits = (0..PROBES).map(move |i| (a.wrapping_add(i.wrapping_mul(b)) % BLOCK_BITS) as usize);
    (block, bits)
}

/// Builds the filter of `keys` (the build script's side).
#[allow(dead_code)]
pub fn build<'a>(keys: impl ExactSizeIterator<Item = &'a [u8]>) -> Vec<u8> {
    let blocks = (keys.len() as u64 * BITS_PER_KEY)
        .div_ceil(BLOCK_BITS)
        .max(1);
    let mut out = vec![0u8; 8 + blocks as usize * BLOCK_BYTES];
    out[..8].copy_from_slice(&blocks.to_le_bytes());
    for key in keys {
        let (block, bits) = probes(hash(key), blocks);
        let base = 8 + block * BLOCK_BYTES;
        for bit in bits {
            out[base + bit / 8] |= 1 << (bit % 8);
        }
    }
    out
}

/// A filter written by [`build`], read in place.
#[derive(Clone, Copy)]
pub struct Bloom {
    blocks: u64,
    bytes: &'static [u8],
}

impl Bloom {
    /// The filter in `bytes`; one that lets every key through when they are not a
    /// filter (a filter never hides a key, so the maps stay right either way).
    pub fn new(bytes: &'static [u8]) -> Bloom {
        let blocks = bytes
            .get(..8)
            .and_then(|b| b.try_into().ok())
            .map_or(0, u64::from_le_bytes);
        let sized = blocks > 0 && bytes.len() as u64 == 8 + blocks * BLOCK_BYTES as u64;
        Bloom {
            blocks: if sized { blocks } else { 0 },
            bytes: if sized { &bytes[8..] } else { &[] },
        }
    }

    /// False when `key` is certainly not among the filter's keys.
    pub fn may_contain(&self, key: &[u8]) -> bool {
        if self.blocks == 0 {
            return true;
        }
        let (block, mut bits) = probes(hash(key), self.blocks);
        let line = &self.bytes[block * BLOCK_BYTES..(block + 1) * BLOCK_BYTES];
        bits.all(|bit| line[bit / 8] & (1 << (bit % 8)) != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leak(v: Vec<u8>) -> &'static [u8] {
        Box::leak(v.into_boxed_slice())
    }

    #[test]
    fn every_key_passes_and_most_others_do_not() {
        let keys: Vec<String> = (0..20_000).map(|i| format!("place {i}")).collect();
        let filter = Bloom::new(leak(build(keys.iter().map(|k| k.as_bytes()))));
        assert!(keys.iter().all(|k| filter.may_contain(k.as_bytes())));
        let passed = (0..20_000)
            .filter(|i| filter.may_contain(format!("other {i}").as_bytes()))
            .count();
        // About 1–2 % at ten bits a key.
        assert!(passed < 600, "{passed} of 20,000 strangers passed");
    }

    #[test]
    fn bytes_that_are_no_filter_let_everything_through() {
        for bytes in [&b""[..], &b"\x05\0\0\0\0\0\0\0short"[..]] {
            assert!(Bloom::new(bytes).may_contain(b"anything"));
        }
    }

    #[test]
    fn an_empty_key_set_makes_a_filter_that_refuses_others() {
        let filter = Bloom::new(leak(build(std::iter::empty())));
        assert!(!filter.may_contain(b"x"));
    }
}
