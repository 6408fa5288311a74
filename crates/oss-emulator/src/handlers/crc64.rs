//! CRC-64/XZ ("crc64ecma", as in `x-oss-hash-crc64ecma`) and the zlib-style combine that
//! gives the CRC of `A ‖ B` from `crc(A)`, `crc(B)` and `len(B)` without reading the data.

/// The reflected ECMA-182 polynomial.
const POLY: u64 = 0xC96C_5795_D787_0F42;

/// CRC-64/XZ of `data` (bodies are digested as they arrive, see `receive.rs`).
#[cfg(test)]
pub(crate) fn crc64(data: &[u8]) -> u64 {
    let mut digest = crc64fast::Digest::new();
    digest.write(data);
    digest.sum64()
}

fn gf2_times(mat: &[u64; 64], mut vec: u64) -> u64 {
    let mut sum = 0;
    let mut i = 0;
    while vec != 0 {
        if vec & 1 != 0 {
            sum ^= mat[i];
        }
        vec >>= 1;
        i += 1;
    }
    sum
}

fn gf2_square(square: &mut [u64; 64], mat: &[u64; 64]) {
    for n in 0..64 {
        square[n] = gf2_times(mat, mat[n]);
    }
}

/// CRC-64/XZ of `A ‖ B`, given `crc_a = crc64(A)`, `crc_b = crc64(B)`, `len_b = len(B)`.
pub(crate) fn combine(mut crc_a: u64, crc_b: u64, mut len_b: u64) -> u64 {
    if len_b == 0 {
        return crc_a;
    }
    let mut even = [0u64; 64];
    let mut odd = [0u64; 64];
    // The operator for one zero bit.
    odd[0] = POLY;
    let mut row = 1u64;
    for slot in odd.iter_mut().skip(1) {
        *slot = row;
        row <<= 1;
    }
    gf2_square(&mut even, &odd); // two zero bits
    gf2_square(&mut odd, &even); // four zero bits
    loop {
        gf2_square(&mut even, &odd);
        if len_b & 1 != 0 {
            crc_a = gf2_times(&even, crc_a);
        }
        len_b >>= 1;
        if len_b == 0 {
            break;
        }
        gf2_square(&mut odd, &even);
        if len_b & 1 != 0 {
            crc_a = gf2_times(&odd, crc_a);
        }
        len_b >>= 1;
        if len_b == 0 {
            break;
        }
    }
    crc_a ^ crc_b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_values() {
        assert_eq!(crc64(b"123456789"), 11_051_210_869_376_104_954);
        assert_eq!(crc64(b""), 0);
        assert_eq!(crc64(b"hello"), 11_177_612_005_948_864_433);
    }

    #[test]
    fn combine_matches_the_whole() {
        let data: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
        for split in [0, 1, 9, 4096, 102_400, 299_999, 300_000] {
            let (a, b) = data.split_at(split);
            assert_eq!(
                combine(crc64(a), crc64(b), b.len() as u64),
                crc64(&data),
                "split {split}"
            );
        }
        let parts = [&data[..102_400], &data[102_400..204_800], &data[204_800..]];
        let c = parts
            .iter()
            .fold(0, |acc, p| combine(acc, crc64(p), p.len() as u64));
        assert_eq!(c, crc64(&data));
    }
}
