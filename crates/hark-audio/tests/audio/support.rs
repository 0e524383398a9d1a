//! Test files and signal measurements shared by the tests.

use std::f64::consts::TAU;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use hark_audio::{read_all, AudioReader, ReadOptions};

/// A fresh directory under the system temp dir, removed on drop.
pub struct TestDir(PathBuf);

impl TestDir {
    pub fn new(name: &str) -> TestDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("hark-audio-test-{}-{name}-{n}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        TestDir(dir)
    }

    pub fn path(&self, file: &str) -> PathBuf {
        self.0.join(file)
    }

    pub fn write(&self, file: &str, bytes: &[u8]) -> PathBuf {
        let path = self.path(file);
        fs::write(&path, bytes).unwrap();
        path
    }
}

impl Drop for TestDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

pub fn asterisk_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/asterisk")
}

/// Deterministic pseudo-random 16-bit samples, with both extremes included.
pub fn noise(len: usize, seed: u32) -> Vec<i16> {
    let mut state = seed;
    let mut out: Vec<i16> = (0..len)
        .map(|_| {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (state >> 16) as u16 as i16
        })
        .collect();
    out.extend_from_slice(&[i16::MIN, i16::MAX, 0, -1]);
    out
}

pub fn sine(rate: u32, freq: f64, amplitude: f64, seconds: f64) -> Vec<i16> {
    let len = (f64::from(rate) * seconds).round() as usize;
    (0..len)
        .map(|n| (amplitude * (TAU * freq * n as f64 / f64::from(rate)).sin()).round() as i16)
        .collect()
}

pub fn chunk(id: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut out = id.to_vec();
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(body);
    if body.len() % 2 == 1 {
        out.push(0);
    }
    out
}

pub fn fmt_body(tag: u16, channels: u16, rate: u32, bits: u16) -> Vec<u8> {
    let block = channels.wrapping_mul(bits.div_ceil(8));
    let mut b = Vec::new();
    b.extend_from_slice(&tag.to_le_bytes());
    b.extend_from_slice(&channels.to_le_bytes());
    b.extend_from_slice(&rate.to_le_bytes());
    b.extend_from_slice(&rate.wrapping_mul(u32::from(block)).to_le_bytes());
    b.extend_from_slice(&block.to_le_bytes());
    b.extend_from_slice(&bits.to_le_bytes());
    b
}

/// WAVE_FORMAT_EXTENSIBLE wrapping `sub_tag` in the standard sub-format GUID.
pub fn extensible_fmt_body(sub_tag: u16, channels: u16, rate: u32, bits: u16) -> Vec<u8> {
    let mut b = fmt_body(0xFFFE, channels, rate, bits);
    b.extend_from_slice(&22u16.to_le_bytes());
    b.extend_from_slice(&bits.to_le_bytes());
    b.extend_from_slice(&0u32.to_le_bytes());
    b.extend_from_slice(&sub_tag.to_le_bytes());
    b.extend_from_slice(&[
        0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71,
    ]);
    b
}

pub fn riff(chunks: &[Vec<u8>]) -> Vec<u8> {
    let body = chunks.concat();
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&(body.len() as u32 + 4).to_le_bytes());
    out.extend_from_slice(b"WAVE");
    out.extend_from_slice(&body);
    out
}

pub fn wav(fmt: Vec<u8>, data: &[u8]) -> Vec<u8> {
    riff(&[fmt, chunk(b"data", data)])
}

pub fn le16(samples: &[i16]) -> Vec<u8> {
    samples.iter().flat_map(|s| s.to_le_bytes()).collect()
}

pub fn hound_write<S: hound::Sample + Copy>(path: &Path, spec: hound::WavSpec, samples: &[S]) {
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for &s in samples {
        w.write_sample(s).unwrap();
    }
    w.finalize().unwrap();
}

pub fn spec(channels: u16, rate: u32, bits: u16, float: bool) -> hound::WavSpec {
    hound::WavSpec {
        channels,
        sample_rate: rate,
        bits_per_sample: bits,
        sample_format: if float {
            hound::SampleFormat::Float
        } else {
            hound::SampleFormat::Int
        },
    }
}

pub fn read(path: &Path) -> Vec<i16> {
    read_all(path, &ReadOptions::default()).unwrap()
}

pub fn read_chunked(path: &Path, max: usize) -> Vec<i16> {
    let mut reader = AudioReader::open(path, &ReadOptions::default()).unwrap();
    let mut out = Vec::new();
    loop {
        let before = out.len();
        let n = reader.read_chunk(&mut out, max).unwrap();
        assert_eq!(out.len() - before, n);
        assert!(n <= max);
        if n == 0 {
            break;
        }
    }
    out
}

/// Frequency from the interpolated times of the first and last rising zero crossings.
pub fn zero_crossing_hz(x: &[i16], rate: f64) -> f64 {
    let crossings: Vec<f64> = x
        .windows(2)
        .enumerate()
        .filter(|(_, w)| w[0] < 0 && w[1] >= 0)
        .map(|(i, w)| i as f64 + f64::from(-w[0]) / f64::from(w[1] - w[0]))
        .collect();
    let (first, last) = (crossings[0], crossings[crossings.len() - 1]);
    (crossings.len() - 1) as f64 * rate / (last - first)
}

pub fn peak_from_rms(x: &[i16]) -> f64 {
    let power = x.iter().map(|&s| f64::from(s).powi(2)).sum::<f64>() / x.len() as f64;
    (2.0 * power).sqrt()
}
