//! WAV writers: 16-bit PCM through hound, 8 kHz mu-law by hand (hound has no G.711).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use hark::g711::linear_to_ulaw;

use crate::error::{AudioError, AudioErrorKind};
use crate::wav::MAX_SAMPLE_RATE;

/// Room left in a RIFF size field after the largest header we write.
const MAX_DATA_BYTES: u64 = u32::MAX as u64 - 64;

/// Writes mono 16-bit PCM samples as a WAV file at `sample_rate` (1 to 768 000 Hz).
///
/// The file is created or truncated.
pub fn write_wav_pcm16(
    path: impl AsRef<Path>,
    samples: &[i16],
    sample_rate: u32,
) -> Result<(), AudioError> {
    let path = path.as_ref();
    let err = |kind| AudioError::new(path, kind);
    if sample_rate == 0 || sample_rate > MAX_SAMPLE_RATE {
        return Err(err(AudioErrorKind::InvalidSampleRate { rate: sample_rate }));
    }
    check_size(samples.len(), 2).map_err(err)?;
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let write = || -> Result<(), hound::Error> {
        let mut writer = hound::WavWriter::create(path, spec)?;
        for &s in samples {
            writer.write_sample(s)?;
        }
        writer.finalize()
    };
    write().map_err(|e| err(from_hound(e)))
}

/// Writes mono samples as an 8 kHz G.711 mu-law WAV file (format tag 7, with a `fact` chunk).
///
/// The file is created or truncated.
pub fn write_wav_ulaw(path: impl AsRef<Path>, samples: &[i16]) -> Result<(), AudioError> {
    let path = path.as_ref();
    let err = |kind| AudioError::new(path, kind);
    let data_len = check_size(samples.len(), 1).map_err(err)?;
    let pad = data_len & 1;
    let fmt_len: u32 = 18;
    let fact_len: u32 = 4;
    let riff_len = 4 + (8 + fmt_len) + (8 + fact_len) + (8 + data_len + pad);

    let mut header = Vec::with_capacity(58);
    header.extend_from_slice(b"RIFF");
    header.extend_from_slice(&riff_len.to_le_bytes());
    header.extend_from_slice(b"WAVE");
    header.extend_from_slice(b"fmt ");
    header.extend_from_slice(&fmt_len.to_le_bytes());
    header.extend_from_slice(&7u16.to_le_bytes()); // WAVE_FORMAT_MULAW
    header.extend_from_slice(&1u16.to_le_bytes()); // channels
    header.extend_from_slice(&8000u32.to_le_bytes()); // sample rate
    header.extend_from_slice(&8000u32.to_le_bytes()); // bytes per second
    header.extend_from_slice(&1u16.to_le_bytes()); // block align
    header.extend_from_slice(&8u16.to_le_bytes()); // bits per sample
    header.extend_from_slice(&0u16.to_le_bytes()); // cbSize
    header.extend_from_slice(b"fact");
    header.extend_from_slice(&fact_len.to_le_bytes());
    header.extend_from_slice(&data_len.to_le_bytes()); // samples per channel
    header.extend_from_slice(b"data");
    header.extend_from_slice(&data_len.to_le_bytes());

    let write = || -> std::io::Result<()> {
        let mut out = BufWriter::new(File::create(path)?);
        out.write_all(&header)?;
        let mut codes = [0u8; 4096];
        for block in samples.chunks(codes.len()) {
            for (code, &s) in codes.iter_mut().zip(block) {
                *code = linear_to_ulaw(s);
            }
            out.write_all(codes.get(..block.len()).unwrap_or(&[]))?;
        }
        if pad == 1 {
            out.write_all(&[0])?;
        }
        out.into_inner().map_err(|e| e.into_error())?;
        Ok(())
    };
    write().map_err(|e| err(AudioErrorKind::from_io(e)))
}

/// The data size in bytes, if it fits a WAV file.
fn check_size(samples: usize, bytes_per_sample: u64) -> Result<u32, AudioErrorKind> {
    (samples as u64)
        .checked_mul(bytes_per_sample)
        .filter(|&bytes| bytes <= MAX_DATA_BYTES)
        .and_then(|bytes| u32::try_from(bytes).ok())
        .ok_or(AudioErrorKind::TooLargeForWav {
            samples: samples as u64,
        })
}

fn from_hound(e: hound::Error) -> AudioErrorKind {
    match e {
        hound::Error::IoError(source) => AudioErrorKind::from_io(source),
        other => AudioErrorKind::Write {
            message: other.to_string(),
        },
    }
}
