//! Other rates converted to 8 kHz: level, pitch, timing, aliasing, memory.

use std::cell::Cell;
use std::f64::consts::TAU;
use std::fs;

use hark_audio::{write_wav_pcm16, AudioReader, ReadOptions};

use crate::support::*;
use crate::{LIVE, PEAK};

/// Checks a resampled 1 kHz sine of amplitude `amp` that lasted `seconds`; returns the worst
/// deviation from the ideal 8 kHz sine in the middle, where the edges of the file do not reach.
fn check_sine_8k(got: &[i16], seconds: f64, amp: f64, label: &str) -> f64 {
    let expected_len = seconds * 8000.0;
    assert!(
        (got.len() as f64 - expected_len).abs() <= 2.0,
        "{label}: length {}",
        got.len()
    );
    let middle = &got[800..got.len() - 800];
    let hz = zero_crossing_hz(middle, 8000.0);
    assert!((hz - 1000.0).abs() < 1.0, "{label}: {hz} Hz");
    let db = 20.0 * (peak_from_rms(middle) / amp).log10();
    assert!(db.abs() < 1.0, "{label}: amplitude off by {db} dB");
    (800..got.len() - 800)
        .map(|k| (f64::from(got[k]) - amp * (TAU * 1000.0 * k as f64 / 8000.0).sin()).abs())
        .fold(0.0, f64::max)
}

#[test]
fn resampled_sines_keep_length_frequency_amplitude_and_timing() {
    let dir = TestDir::new("resample");
    let amp = 16_000.0;
    for rate in [4000, 11_025, 16_000, 22_050, 44_100, 48_000, 96_000] {
        let path = dir.path(&format!("sine-{rate}.wav"));
        write_wav_pcm16(&path, &sine(rate, 1000.0, amp, 2.0), rate).unwrap();
        let got = read(&path);
        let worst = check_sine_8k(&got, 2.0, amp, &format!("{rate} Hz"));
        // Output sample k is the input at k / 8000 s: a misalignment of a tenth of a sample
        // would already be off by 8 % of the amplitude.
        assert!(worst < 0.001 * amp, "{rate} Hz: off by up to {worst}");
        for max in [1, 7, 160, 161] {
            assert_eq!(read_chunked(&path, max), got, "{rate} Hz, chunks of {max}");
        }
    }
}

#[test]
fn tones_above_4k_are_filtered_out_not_aliased() {
    let dir = TestDir::new("alias");
    for rate in [11_025, 16_000, 44_100, 48_000, 44_101] {
        let path = dir.path(&format!("high-{rate}.wav"));
        write_wav_pcm16(&path, &sine(rate, 5000.0, 16_000.0, 1.0), rate).unwrap();
        let got = read(&path);
        // Left unfiltered, 5 kHz would fold to 3 kHz at full amplitude.
        let level = peak_from_rms(&got[800..got.len() - 800]) / 16_000.0;
        assert!(level < 0.001, "{rate} Hz: 5 kHz leaks at {level}");
    }
}

#[test]
fn awkward_rates_use_the_sinc_resampler_and_stay_aligned() {
    let dir = TestDir::new("awkward");
    let amp = 16_000.0;
    // Rates whose FFT blocks would be too long: rate / gcd(rate, 8000) is above 32768.
    for rate in [33_333, 44_101, 700_001] {
        let path = dir.path(&format!("sine-{rate}.wav"));
        write_wav_pcm16(&path, &sine(rate, 1000.0, amp, 2.0), rate).unwrap();
        let got = read(&path);
        let worst = check_sine_8k(&got, 2.0, amp, &format!("{rate} Hz"));
        assert!(worst < 0.005 * amp, "{rate} Hz: off by up to {worst}");
        for max in [1, 7, 160] {
            assert_eq!(read_chunked(&path, max), got, "{rate} Hz, chunks of {max}");
        }
    }
}

#[test]
fn ten_minutes_at_48k_stream_in_bounded_memory() {
    let dir = TestDir::new("long");
    let path = dir.path("long.wav");
    let rate = 48_000u32;
    let seconds = 600u32;
    {
        let mut w = hound::WavWriter::create(&path, spec(1, rate, 16, false)).unwrap();
        for _ in 0..seconds {
            let mut second = w.get_i16_writer(rate);
            for n in 0..rate {
                // A 1 kHz square wave keeps the writer fast and the content non-trivial.
                second.write_sample(if (n / 24) % 2 == 0 { 8000i16 } else { -8000 });
            }
            second.flush().unwrap();
        }
        w.finalize().unwrap();
    }
    assert!(fs::metadata(&path).unwrap().len() > 57_000_000);

    let before = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(before));
    let mut reader = AudioReader::open(&path, &ReadOptions::default()).unwrap();
    let mut chunk = Vec::with_capacity(4000);
    let mut total = 0usize;
    let mut sum_sq = 0f64;
    loop {
        chunk.clear();
        let n = reader.read_chunk(&mut chunk, 4000).unwrap();
        if n == 0 {
            break;
        }
        total += n;
        sum_sq += chunk.iter().map(|&s| f64::from(s).powi(2)).sum::<f64>();
    }
    drop(reader);
    let peak = PEAK.with(Cell::get) - before;
    assert!(total.abs_diff(600 * 8000) <= 2, "{total} samples");
    assert!(sum_sq > 0.0);
    assert!(peak < 1 << 20, "reading took {peak} bytes at its peak");
}
