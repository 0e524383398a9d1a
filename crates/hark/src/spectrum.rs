//! One FFT per frame: where the strongest spectral peak is and how much of the energy it holds.

use realfft::num_complex::Complex;

use crate::history::History;
use crate::plan::{Plan, BINS, WINDOW};
use crate::SAMPLE_RATE;

/// Width of one FFT bin in Hz.
pub(crate) const BIN_HZ: f32 = SAMPLE_RATE as f32 / WINDOW as f32;
/// Lowest and highest frequency searched for a tone's peak.
const PEAK_MIN_HZ: f32 = 280.0;
const PEAK_MAX_HZ: f32 = 3420.0;
/// A Hann window spreads a pure tone over its peak bin and two bins either side.
const LOBE: usize = 2;
/// How far a steady tone's peak may move between frames, in bins (3 Hz).
const STEADY_BINS: f32 = 0.1;
/// Quieter windows are not analysed: nothing tonal is worth reporting below -62 dBFS.
pub(crate) const MIN_ANALYSIS_DBFS: f32 = -62.0;

/// What one frame's spectrum says.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct FrameSpectrum {
    /// False when the window was too quiet to analyse; every other field is then zero.
    pub analysed: bool,
    /// Frequency of the strongest peak between 280 and 3420 Hz, interpolated between bins.
    pub peak_hz: f32,
    /// Share of the window's energy in that peak's main lobe.
    pub tonality: f32,
    /// Share of the energy in the two strongest peaks: near 1 for dual tones too.
    pub tonality2: f32,
    /// Energy at twice and three times the peak frequency, relative to the peak: voices and
    /// musical notes have harmonics, beeps do not.
    pub harmonics: f32,
    /// The peak stayed within a bin for the last three frames, or the two strongest peaks
    /// held their frequencies (to 3 Hz) for the last five: a steady tone, single or dual, not
    /// the moving harmonics of speech.
    pub steady: bool,
}

/// Per-call FFT buffers, sized once.
pub(crate) struct Spectrum {
    input: Box<[f32]>,
    output: Box<[Complex<f32>]>,
    scratch: Box<[Complex<f32>]>,
    power: Box<[f32]>,
    /// The strongest and second-strongest peaks of the last five frames, in bins.
    recent_peaks: [(f32, f32); 5],
}

impl Spectrum {
    pub fn new(plan: &Plan) -> Self {
        Spectrum {
            input: vec![0.0; WINDOW].into_boxed_slice(),
            output: vec![Complex::new(0.0, 0.0); BINS].into_boxed_slice(),
            scratch: vec![Complex::new(0.0, 0.0); plan.scratch_len].into_boxed_slice(),
            power: vec![0.0; BINS].into_boxed_slice(),
            recent_peaks: [(0.0, 0.0); 5],
        }
    }

    pub fn reset(&mut self) {
        self.recent_peaks = [(0.0, 0.0); 5];
    }

    /// Analyses the window that ends at `end` (exclusive).
    pub fn analyse(
        &mut self,
        plan: &Plan,
        history: &History,
        end: u64,
        level_dbfs: f32,
    ) -> FrameSpectrum {
        if level_dbfs < MIN_ANALYSIS_DBFS {
            self.recent_peaks = [(0.0, 0.0); 5];
            return FrameSpectrum::default();
        }
        let start = end as i64 - WINDOW as i64;
        for (i, (x, w)) in self.input.iter_mut().zip(plan.window.iter()).enumerate() {
            *x = history.at(start + i as i64) * w;
        }
        if plan
            .fft
            .process_with_scratch(&mut self.input, &mut self.output, &mut self.scratch)
            .is_err()
        {
            // Only possible with mis-sized buffers, which construction rules out.
            return FrameSpectrum::default();
        }
        for (p, c) in self.power.iter_mut().zip(self.output.iter()) {
            *p = c.norm_sqr();
        }
        // DC and Nyquist carry no tone; leave them out of the total.
        let total: f32 = self.power[1..BINS - 1].iter().sum();
        if total <= 0.0 {
            return FrameSpectrum::default();
        }
        let lo = (PEAK_MIN_HZ / BIN_HZ).ceil() as usize;
        let hi = ((PEAK_MAX_HZ / BIN_HZ).floor() as usize).min(BINS - 1 - LOBE);
        let peak = argmax(&self.power, lo, hi);
        let lobe1 = lobe_energy(&self.power, peak);
        // The strongest bin outside the first peak's lobe marks a second tone, if any.
        let second = (1..BINS - 1)
            .filter(|&k| k + LOBE < peak || k > peak + LOBE)
            .max_by(|&a, &b| self.power[a].total_cmp(&self.power[b]))
            .unwrap_or(peak);
        let lobe2: f32 = (second.saturating_sub(LOBE)..=(second + LOBE).min(BINS - 2))
            .filter(|&k| k + LOBE < peak || k > peak + LOBE)
            .map(|k| self.power[k])
            .sum();

        let position = interpolate_peak(&self.power, peak);
        let second_position = interpolate_peak(&self.power, second);
        self.recent_peaks.rotate_left(1);
        self.recent_peaks[4] = (position, second_position);
        // One peak that stays within a bin for three frames, or two that hold their
        // frequencies for five (a dual tone's strongest may swap from frame to frame). Such
        // tones hold to a small fraction of a bin; the harmonics of a voice wander with its
        // pitch.
        let near = |a: f32, b: f32| a > 0.0 && (a - b).abs() <= STEADY_BINS;
        let (p, s) = (position, second_position);
        // Ringback's two tones fall in one lobe and beat: that peak wobbles, within a bin.
        let steady = self.recent_peaks[2..]
            .iter()
            .all(|&(q, _)| q > 0.0 && (q - p).abs() <= 1.0)
            || self
                .recent_peaks
                .iter()
                .all(|&(q, r)| (near(q, p) && near(r, s)) || (near(q, s) && near(r, p)));
        let harmonics: f32 = [2.0, 3.0]
            .iter()
            .map(|h| (h * position).round() as usize)
            .filter(|&k| k + LOBE < BINS)
            .map(|k| lobe_energy(&self.power, k))
            .sum();
        FrameSpectrum {
            analysed: true,
            peak_hz: position * BIN_HZ,
            harmonics: harmonics / lobe1.max(f32::MIN_POSITIVE),
            tonality: lobe1 / total,
            tonality2: (lobe1 + lobe2) / total,
            steady,
        }
    }
}

fn argmax(power: &[f32], lo: usize, hi: usize) -> usize {
    let mut best = lo;
    for k in lo..=hi {
        if power[k] > power[best] {
            best = k;
        }
    }
    best
}

fn lobe_energy(power: &[f32], peak: usize) -> f32 {
    power[peak.saturating_sub(LOBE)..=(peak + LOBE).min(power.len() - 1)]
        .iter()
        .sum()
}

/// Peak position in bins, by a parabola through the log power of the peak and its neighbours.
fn interpolate_peak(power: &[f32], k: usize) -> f32 {
    if k == 0 || k + 1 >= power.len() {
        return k as f32;
    }
    let floor = 1e-20f32;
    let a = power[k - 1].max(floor).ln();
    let b = power[k].max(floor).ln();
    let c = power[k + 1].max(floor).ln();
    let denom = a - 2.0 * b + c;
    if denom.abs() < 1e-12 {
        return k as f32;
    }
    k as f32 + (0.5 * (a - c) / denom).clamp(-0.5, 0.5)
}
