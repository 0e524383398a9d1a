//! Streaming conversion of one channel at any rate to 8 kHz, delay-compensated.
//!
//! Common rates use rubato's synchronous [`Fft`] resampler. Its block sizes follow from
//! `rate / gcd(rate, 8000)`, so for a rate such as 44 101 Hz the blocks would be tens of
//! thousands of frames; such rates use the asynchronous sinc resampler [`Async`] instead,
//! which works in fixed chunks at any ratio.

use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{
    Async, Fft, FixedAsync, FixedSync, Indexing, Resampler, SincInterpolationParameters,
    WindowFunction,
};

use crate::decode::FrameSource;
use crate::error::AudioErrorKind;

/// The detector's sample rate.
pub(crate) const OUTPUT_RATE: u32 = 8000;

/// FFT length on the 8 kHz side: 32 ms blocks, filter cutoff about 3.8 kHz.
const FFT_BLOCK_OUT: usize = 256;

/// Largest FFT input block before falling back to the asynchronous resampler.
const MAX_FFT_BLOCK_IN: usize = 1 << 16;

/// Input chunk of the asynchronous resampler.
const ASYNC_CHUNK_IN: usize = 1024;

/// Converts a [`FrameSource`] at `source_rate` to 8 kHz, one fixed-size input block at a time.
///
/// Output sample `k` stands for input time `k / 8000` s: the resampler's delay is dropped
/// from the start, and the tail is flushed with silence and cut to `ceil(frames * 8000 / rate)`
/// samples. The blocks do not depend on how the caller chunks its reads, so neither does the
/// output.
pub(crate) struct To8k {
    resampler: Box<dyn Resampler<f32>>,
    source_rate: u32,
    decoded: Vec<i16>,
    input: Vec<f32>,
    output: Vec<f32>,
    /// Converted output not yet handed out, from `pending_pos` on.
    pending: Vec<i16>,
    pending_pos: usize,
    /// Frames of silence still to feed before the input.
    lead_in_left: usize,
    /// Output frames of start-up delay still to drop.
    delay_left: usize,
    frames_in: u64,
    frames_out: u64,
    input_ended: bool,
    finished: bool,
}

impl std::fmt::Debug for To8k {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("To8k")
            .field("source_rate", &self.source_rate)
            .field("input_block", &self.input.len())
            .field("frames_in", &self.frames_in)
            .field("frames_out", &self.frames_out)
            .finish_non_exhaustive()
    }
}

impl To8k {
    /// A mono resampler from `source_rate` (1 to 768 000, not 8000) to 8 kHz.
    pub(crate) fn new(source_rate: u32) -> Result<To8k, AudioErrorKind> {
        let Plan {
            resampler,
            lead_in,
            delay,
        } = plan(source_rate).map_err(resample_error)?;
        let input_block = resampler.input_frames_max();
        let output_block = resampler.output_frames_max();
        Ok(To8k {
            lead_in_left: lead_in,
            delay_left: delay,
            resampler,
            source_rate,
            decoded: Vec::with_capacity(input_block),
            input: vec![0.0; input_block],
            output: vec![0.0; output_block],
            pending: Vec::with_capacity(output_block),
            pending_pos: 0,
            frames_in: 0,
            frames_out: 0,
            input_ended: false,
            finished: false,
        })
    }

    /// Appends up to `max` 8 kHz samples to `out`; fewer only at the end of the input.
    pub(crate) fn read(
        &mut self,
        source: &mut FrameSource,
        out: &mut Vec<i16>,
        max: usize,
    ) -> Result<usize, AudioErrorKind> {
        let mut appended = 0;
        while appended < max {
            let ready = self.pending.get(self.pending_pos..).unwrap_or(&[]);
            if !ready.is_empty() {
                let n = ready.len().min(max - appended);
                out.extend_from_slice(ready.get(..n).unwrap_or(&[]));
                self.pending_pos += n;
                appended += n;
            } else if self.finished {
                break;
            } else {
                self.process_block(source)?;
            }
        }
        Ok(appended)
    }

    /// Output length for the input seen so far: every 8 kHz instant before the input's end.
    fn expected_frames_out(&self) -> u64 {
        let num = u128::from(self.frames_in) * u128::from(OUTPUT_RATE);
        let frames = num.div_ceil(u128::from(self.source_rate));
        u64::try_from(frames).unwrap_or(u64::MAX)
    }

    /// Runs the resampler once, on the next input block or on silence once the input ended.
    fn process_block(&mut self, source: &mut FrameSource) -> Result<(), AudioErrorKind> {
        self.pending.clear();
        self.pending_pos = 0;
        if self.input_ended && self.frames_out >= self.expected_frames_out() {
            self.finished = true;
            return Ok(());
        }
        let needed = self.resampler.input_frames_next().min(self.input.len());
        let mut got = 0;
        if !self.input_ended {
            let silence = self.lead_in_left.min(needed);
            self.lead_in_left -= silence;
            self.decoded.clear();
            self.decoded.resize(silence, 0);
            let read = source.read_mono(&mut self.decoded, needed - silence)?;
            self.frames_in += read as u64;
            self.input_ended = read < needed - silence;
            got = silence + read;
            for (x, &s) in self.input.iter_mut().zip(&self.decoded) {
                *x = f32::from(s);
            }
        }
        let indexing = Indexing::new().partial_len(got);
        let produced = {
            let input =
                InterleavedSlice::new(&self.input[..], 1, needed).map_err(resample_error)?;
            let capacity = self.output.len();
            let mut output = InterleavedSlice::new_mut(&mut self.output[..], 1, capacity)
                .map_err(resample_error)?;
            let (_, produced) = self
                .resampler
                .process_into_buffer(&input, &mut output, Some(&indexing))
                .map_err(resample_error)?;
            produced
        };
        let produced = self.output.get(..produced).unwrap_or(&[]);
        let skip = self.delay_left.min(produced.len());
        self.delay_left -= skip;
        let mut fresh = produced.get(skip..).unwrap_or(&[]);
        if self.input_ended {
            let room = self.expected_frames_out().saturating_sub(self.frames_out);
            let keep = usize::try_from(room).unwrap_or(usize::MAX).min(fresh.len());
            fresh = fresh.get(..keep).unwrap_or(&[]);
            // A resampler that produces nothing from silence would otherwise loop forever.
            if produced.is_empty() || self.frames_out + keep as u64 >= self.expected_frames_out() {
                self.finished = true;
            }
        }
        self.pending.extend(
            fresh
                .iter()
                .map(|&x| x.round().clamp(-32768.0, 32767.0) as i16),
        );
        self.frames_out += fresh.len() as u64;
        Ok(())
    }
}

fn resample_error(e: impl std::fmt::Display) -> AudioErrorKind {
    AudioErrorKind::Resampler {
        message: e.to_string(),
    }
}

fn gcd(mut a: usize, mut b: usize) -> usize {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// A resampler and what it takes to line its output up with the input.
struct Plan {
    resampler: Box<dyn Resampler<f32>>,
    /// Frames of silence to feed before the input.
    lead_in: usize,
    /// Output frames to drop: the resampler's delay plus the lead-in.
    delay: usize,
}

/// The FFT resampler when its blocks stay small, the asynchronous sinc resampler otherwise.
fn plan(source_rate: u32) -> Result<Plan, rubato::ResamplerConstructionError> {
    let rate_in = source_rate as usize;
    let rate_out = OUTPUT_RATE as usize;
    let common = gcd(rate_in, rate_out).max(1);
    let (unit_in, unit_out) = (rate_in / common, rate_out / common);
    // An even number of units makes both FFT lengths even, so the delay (half the FFT length,
    // the centre of the filter) is a whole number of samples on both sides.
    let units = FFT_BLOCK_OUT.div_ceil(unit_out).next_multiple_of(2);
    let block_in = units.saturating_mul(unit_in);
    if block_in <= MAX_FFT_BLOCK_IN {
        // With `FixedSync::Both` one chunk is one FFT block of `block_in` frames.
        let fft = Fft::<f32>::new_custom(
            rate_in,
            rate_out,
            block_in,
            1,
            1,
            WindowFunction::BlackmanHarris2,
            FixedSync::Both,
        )?;
        let delay = fft.output_delay();
        return Ok(Plan {
            resampler: Box::new(fft),
            lead_in: 0,
            delay,
        });
    }
    let ratio = f64::from(OUTPUT_RATE) / f64::from(source_rate);
    // Scale the sinc with the decimation so it spans enough 8 kHz periods for a sharp cutoff;
    // rubato rounds the length up to a multiple of 8 itself, so do it here to know it.
    let sinc_len = if ratio < 1.0 {
        ((128.0 / ratio).ceil() as usize).clamp(256, 1024)
    } else {
        256
    }
    .next_multiple_of(8);
    let parameters = SincInterpolationParameters::new(sinc_len, WindowFunction::BlackmanHarris2);
    let sinc = Async::<f32>::new_sinc(
        ratio,
        1.0,
        &parameters,
        ASYNC_CHUNK_IN,
        1,
        FixedAsync::Input,
    )?;
    // This resampler delays by `sinc_len / 2` input frames less one output frame, usually not
    // a whole number of output frames. Silence in front makes it whole: `sinc_len / 2 + lead_in`
    // input frames is a multiple of `unit_in`, which is a whole number of output frames.
    let half = sinc_len / 2;
    let lead_in = (unit_in - half % unit_in) % unit_in;
    let delay = ((half + lead_in) / unit_in * unit_out).saturating_sub(1);
    Ok(Plan {
        resampler: Box::new(sinc),
        lead_in,
        delay,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_rates_use_even_fft_blocks() {
        for rate in [
            11_025, 16_000, 22_050, 32_000, 44_100, 48_000, 96_000, 768_000, 4000,
        ] {
            let plan = plan(rate).unwrap();
            assert_eq!(
                (plan.lead_in, plan.delay),
                (0, plan.resampler.output_delay())
            );
            let r = plan.resampler;
            let (block_in, block_out) = (r.input_frames_next(), r.output_frames_next());
            assert_eq!(block_in % 2, 0, "{rate}");
            assert_eq!(block_out % 2, 0, "{rate}");
            assert_eq!(r.output_delay() * 2, block_out, "{rate}");
            assert_eq!(
                block_in as u64 * 8000,
                block_out as u64 * u64::from(rate),
                "{rate}"
            );
        }
    }

    #[test]
    fn awkward_rates_fall_back_to_async() {
        let plan = plan(44_101).unwrap();
        assert_eq!(plan.resampler.input_frames_next(), ASYNC_CHUNK_IN);
        assert!(plan.resampler.is_adjustable());
        // 712-frame sinc: 356 + 43_745 = 44_101 input frames of delay, 8000 output frames.
        assert_eq!((plan.lead_in, plan.delay), (43_745, 7999));
    }
}
