//! The amplitude of one frequency over time: the signal shifted to 0 Hz by a complex phasor
//! and averaged over [`SPAN`] samples. It tells a pure tone (flat envelope) from two close
//! tones (a beating envelope), and it places a tone's edges to the sample.

use crate::history::History;
use crate::plan::{HISTORY, WINDOW};
use crate::SAMPLE_RATE;

/// Samples averaged per envelope value (8 ms: nulls every 125 Hz, so the mirror image at
/// twice the tone frequency is suppressed and a neighbouring tone 125 Hz away is rejected).
pub(crate) const SPAN: usize = 64;

/// Shifts `history[start..end)` down by `freq_hz` and calls `each(n, envelope, z)` for every
/// position `n` from `start + SPAN - 1` on, where `envelope` is the mean magnitude over the
/// last [`SPAN`] samples and `z` the shifted sample itself.
fn demodulate(
    history: &History,
    start: i64,
    end: i64,
    freq_hz: f32,
    mut each: impl FnMut(i64, f32, (f32, f32)),
) {
    let w = 2.0 * std::f64::consts::PI * freq_hz as f64 / SAMPLE_RATE as f64;
    let (step_im, step_re) = w.sin_cos();
    // The phasor e^{-jwn}, advanced by multiplication and renormalised now and then.
    let (mut re, mut im) = (1.0f64, 0.0f64);
    let mut ring = [(0.0f32, 0.0f32); SPAN];
    let (mut sum_re, mut sum_im) = (0.0f32, 0.0f32);
    for (i, n) in (start..end).enumerate() {
        let x = history.at(n) as f64;
        let z = ((x * re) as f32, (-x * im) as f32);
        let slot = &mut ring[i % SPAN];
        sum_re += z.0 - slot.0;
        sum_im += z.1 - slot.1;
        *slot = z;
        if i + 1 >= SPAN {
            let env = (sum_re * sum_re + sum_im * sum_im).sqrt() / SPAN as f32;
            each(n, env, z);
        }
        let next_re = re * step_re - im * step_im;
        im = re * step_im + im * step_re;
        re = next_re;
        if i % 64 == 63 {
            let norm = (re * re + im * im).sqrt();
            re /= norm;
            im /= norm;
        }
    }
}

/// How a frame's envelope at the peak frequency behaves.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Shape {
    /// Flat over the whole window: a steady pure tone.
    Steady,
    /// Silence or little, then a clean rise that holds to the end: a tone starting.
    Rising,
    /// Anything else: beating, falling, or noise.
    Other,
}

/// A frame's envelope, measured over one analysis window.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FrameEnvelope {
    pub shape: Shape,
    /// Mean envelope over the window.
    pub mean: f32,
    /// Envelope at the window's last sample.
    pub last: f32,
    /// Frequency refined by the phase drift between the window's two halves.
    pub freq_hz: f32,
}

/// Measures the envelope of the window ending at `end` at `freq_hz`.
pub(crate) fn frame_envelope(history: &History, end: u64, freq_hz: f32) -> FrameEnvelope {
    let start = end as i64 - WINDOW as i64;
    let mut env = [0.0f32; WINDOW];
    let mut count = 0;
    let (mut first_re, mut first_im, mut second_re, mut second_im) = (0.0, 0.0, 0.0, 0.0);
    // The halves' sums start after the first SPAN samples, so they cover equal lengths.
    let half_start = start + SPAN as i64 - 1;
    let half_mid = half_start + (end as i64 - half_start) / 2;
    demodulate(history, start, end as i64, freq_hz, |n, e, z| {
        env[count] = e;
        count += 1;
        if n < half_mid {
            first_re += z.0;
            first_im += z.1;
        } else {
            second_re += z.0;
            second_im += z.1;
        }
    });
    let env = &env[..count];
    let max = env.iter().copied().fold(0.0f32, f32::max);
    let min = env.iter().copied().fold(f32::INFINITY, f32::min);
    let last = env.last().copied().unwrap_or(0.0);
    let mean = env.iter().sum::<f32>() / count.max(1) as f32;

    let shape = if max <= 0.0 {
        Shape::Other
    } else if min >= 0.7 * max {
        Shape::Steady
    } else if last >= 0.85 * max {
        let rise = env.iter().position(|&e| e >= 0.5 * max).unwrap_or(0);
        let held = env[rise..].iter().copied().fold(f32::INFINITY, f32::min);
        if held >= 0.45 * max {
            Shape::Rising
        } else {
            Shape::Other
        }
    } else {
        Shape::Other
    };

    // z(n) = A/2 e^{j(dw n + phi)}: the halves differ in phase by dw times their distance.
    let cross_re = second_re * first_re + second_im * first_im;
    let cross_im = second_im * first_re - second_re * first_im;
    let distance = (half_mid - half_start) as f32;
    let drift = cross_im.atan2(cross_re);
    let refined = freq_hz + drift * SAMPLE_RATE as f32 / (2.0 * std::f32::consts::PI * distance);
    FrameEnvelope {
        shape,
        mean,
        last,
        freq_hz: if refined.is_finite() {
            refined
        } else {
            freq_hz
        },
    }
}

/// Which edge of a tone to find.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Edge {
    /// The first sample of a tone that is sounding at `end`.
    Onset,
    /// One past the last sample of a tone that has stopped before `end`.
    End,
}

/// Where a tone's edge lies, and whether the tone rose like a beep.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EdgeFound {
    /// The edge, to the sample.
    pub at: u64,
    /// For an onset: the envelope went from under a fifth to over four fifths of the level
    /// within [`MAX_RISE`] samples, as a switched-on tone does and a vowel does not.
    pub sharp: bool,
}

/// Longest rise of a tone's onset (from a fifth to four fifths of its level): 25 ms.
const MAX_RISE: usize = 200;

/// Locates a tone's edge in the samples still held, to the sample: the point where the
/// envelope crosses half of `reference`, corrected for the averaging span's delay.
pub(crate) fn locate_edge(
    history: &History,
    end: u64,
    freq_hz: f32,
    reference: f32,
    edge: Edge,
) -> EdgeFound {
    // At the start of the call, the silence before it counts: a tone there starts at 0.
    let start = match history.oldest() {
        0 => -(SPAN as i64),
        oldest => oldest as i64,
    };
    let mut env = [0.0f32; HISTORY + SPAN];
    let mut count = 0;
    demodulate(history, start, end as i64, freq_hz, |_, e, _| {
        env[count] = e;
        count += 1;
    });
    let first = start + SPAN as i64 - 1;
    // Half the level, less half of one sample's step, so an exact step is not split by rounding.
    let half = 0.5 * reference * (1.0 - 1.0 / SPAN as f32);
    let env = &env[..count];
    // For an onset: the earliest sample of the final run above half. For an end: the last
    // sample above half.
    let (crossing, sharp) = match edge {
        Edge::Onset => {
            let below = |level: f32| env.iter().rposition(|&e| e < level * reference);
            let crossing = env.iter().rposition(|&e| e < half).map_or(0, |i| i + 1);
            let sharp = match (below(0.2), below(0.8)) {
                (Some(low), Some(high)) => high.saturating_sub(low) <= MAX_RISE,
                (Some(_), None) => true,
                _ => false,
            };
            (crossing, sharp)
        }
        Edge::End => (env.iter().rposition(|&e| e >= half).unwrap_or(0), true),
    };
    let n = first + crossing as i64;
    // The average over SPAN samples crosses half a step's height SPAN/2 - 1 samples after
    // a rising step, and SPAN/2 - 1 samples after the last sample of a falling one.
    EdgeFound {
        at: (n - SPAN as i64 / 2 + 1).clamp(0, end as i64) as u64,
        sharp,
    }
}
