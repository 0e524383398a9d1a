//! G.711 mu-law and A-law, decoded by 256-entry tables built at compile time.
//!
//! The tables follow ITU-T G.711 as implemented in the classic Sun `g711.c`: 16-bit linear
//! output, mu-law with its bias of 0x84, A-law with even-bit inversion (XOR 0x55).

/// mu-law code to 16-bit linear PCM.
pub static ULAW_TO_LINEAR: [i16; 256] = build_ulaw_table();

/// A-law code to 16-bit linear PCM.
pub static ALAW_TO_LINEAR: [i16; 256] = build_alaw_table();

const fn ulaw_decode_bits(code: u8) -> i16 {
    let u = !code;
    let mut t = (((u & 0x0F) as i32) << 3) + 0x84;
    t <<= (u & 0x70) >> 4;
    if u & 0x80 != 0 {
        (0x84 - t) as i16
    } else {
        (t - 0x84) as i16
    }
}

const fn alaw_decode_bits(code: u8) -> i16 {
    let a = code ^ 0x55;
    let mut t = ((a & 0x0F) as i32) << 4;
    let seg = (a & 0x70) >> 4;
    match seg {
        0 => t += 8,
        1 => t += 0x108,
        _ => {
            t += 0x108;
            t <<= seg - 1;
        }
    }
    if a & 0x80 != 0 {
        t as i16
    } else {
        -t as i16
    }
}

const fn build_ulaw_table() -> [i16; 256] {
    let mut table = [0i16; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = ulaw_decode_bits(i as u8);
        i += 1;
    }
    table
}

const fn build_alaw_table() -> [i16; 256] {
    let mut table = [0i16; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = alaw_decode_bits(i as u8);
        i += 1;
    }
    table
}

/// Decodes one mu-law byte.
#[inline]
pub fn ulaw_to_linear(code: u8) -> i16 {
    ULAW_TO_LINEAR[code as usize]
}

/// Decodes one A-law byte.
#[inline]
pub fn alaw_to_linear(code: u8) -> i16 {
    ALAW_TO_LINEAR[code as usize]
}

/// Encodes a 16-bit linear sample as mu-law (G.711, with clipping at the top segment).
pub fn linear_to_ulaw(sample: i16) -> u8 {
    const BIAS: i32 = 0x84;
    const CLIP: i32 = 32635;
    let mut pcm = sample as i32;
    let sign = if pcm < 0 {
        pcm = -pcm;
        0x80
    } else {
        0
    };
    pcm = pcm.min(CLIP) + BIAS;
    let exponent = (31 - (pcm as u32).leading_zeros() as i32 - 7).clamp(0, 7);
    let mantissa = (pcm >> (exponent + 3)) & 0x0F;
    !(sign | (exponent << 4) | mantissa) as u8
}

/// Encodes a 16-bit linear sample as A-law (G.711).
pub fn linear_to_alaw(sample: i16) -> u8 {
    // A-law works on 13-bit magnitudes; the low three bits are dropped.
    let pcm = sample as i32 >> 3;
    let (sign, magnitude) = if pcm >= 0 {
        (0x80, pcm)
    } else {
        (0x00, -pcm - 1)
    };
    let magnitude = magnitude.min(0x0FFF);
    let code = if magnitude < 32 {
        magnitude >> 1
    } else {
        let seg = 31 - (magnitude as u32).leading_zeros() as i32 - 4;
        (seg << 4) | ((magnitude >> seg) & 0x0F)
    };
    ((sign | code) ^ 0x55) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The textbook mu-law expansion: sign, 3-bit segment, 4-bit step, in 14-bit units.
    fn ulaw_formula(code: u8) -> i32 {
        let u = !code;
        let negative = u & 0x80 != 0;
        let exponent = ((u >> 4) & 0x07) as i32;
        let mantissa = (u & 0x0F) as i32;
        let magnitude = ((2 * mantissa + 33) << exponent) - 33;
        4 * if negative { -magnitude } else { magnitude }
    }

    /// The textbook A-law expansion, in 13-bit units: segment 0 is linear.
    fn alaw_formula(code: u8) -> i32 {
        let a = code ^ 0x55;
        let positive = a & 0x80 != 0;
        let seg = ((a >> 4) & 0x07) as i32;
        let mantissa = (a & 0x0F) as i32;
        let magnitude = if seg == 0 {
            2 * mantissa + 1
        } else {
            (2 * mantissa + 33) << (seg - 1)
        };
        8 * if positive { magnitude } else { -magnitude }
    }

    #[test]
    fn ulaw_table_matches_formula_for_every_code() {
        for code in 0..=255u8 {
            assert_eq!(
                ULAW_TO_LINEAR[code as usize] as i32,
                ulaw_formula(code),
                "code {code:#04x}"
            );
        }
    }

    #[test]
    fn alaw_table_matches_formula_for_every_code() {
        for code in 0..=255u8 {
            assert_eq!(
                ALAW_TO_LINEAR[code as usize] as i32,
                alaw_formula(code),
                "code {code:#04x}"
            );
        }
    }

    #[test]
    fn ulaw_follows_the_continuous_companding_curve() {
        // Decoded values lie within one quantisation step of mu = 255 expansion.
        for code in 0..=255u8 {
            let u = !code;
            let y = ((u & 0x7F) as f64 + 0.5) / 128.0;
            let expected = ((1.0 + 255.0f64).powf(y) - 1.0) / 255.0 * 32124.0;
            let got = (ULAW_TO_LINEAR[code as usize] as f64).abs();
            let step = 8.0 * (1u32 << ((u >> 4) & 0x07)) as f64;
            assert!(
                (got - expected).abs() <= 3.0 * step + 16.0,
                "code {code:#04x}: {got} vs {expected}"
            );
        }
    }

    #[test]
    fn encoders_round_trip_every_code() {
        for code in 0..=255u8 {
            let linear = ulaw_to_linear(code);
            // 0x7F is mu-law's negative zero; it decodes to 0 like 0xFF.
            if code != 0x7F {
                assert_eq!(linear_to_ulaw(linear), code, "mu-law {code:#04x}");
            }
            assert_eq!(
                linear_to_alaw(alaw_to_linear(code)),
                code,
                "A-law {code:#04x}"
            );
        }
    }

    #[test]
    fn encoders_are_monotonic_and_close_for_every_sample() {
        let mut prev_u = i16::MIN;
        let mut prev_a = i16::MIN;
        for s in i16::MIN..=i16::MAX {
            let u = ulaw_to_linear(linear_to_ulaw(s));
            let a = alaw_to_linear(linear_to_alaw(s));
            assert!(u >= prev_u && a >= prev_a, "not monotonic at {s}");
            // Error bounded by half the largest step (plus clipping above 32124 for mu-law).
            assert!((u as i32 - s as i32).abs() <= 1024, "mu-law {s} -> {u}");
            assert!((a as i32 - s as i32).abs() <= 1024, "A-law {s} -> {a}");
            prev_u = u;
            prev_a = a;
        }
    }
}
