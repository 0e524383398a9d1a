//! Reads sample frames from the data area of a file and turns one channel into 16-bit PCM.

use std::fs::File;
use std::io::{Seek, SeekFrom};

use hark::g711::{alaw_to_linear, ulaw_to_linear};

use crate::error::AudioErrorKind;
use crate::wav::read_full;
use crate::Encoding;

/// Upper bound of the read buffer; a frame wider than this still gets a buffer of one frame.
const READ_BUFFER_BYTES: usize = 16 * 1024;

/// Streams one channel of interleaved frames from a byte range of a file.
#[derive(Debug)]
pub(crate) struct FrameSource {
    file: File,
    encoding: Encoding,
    sample_bytes: usize,
    frame_bytes: usize,
    /// Byte offset of the wanted channel inside a frame.
    channel_offset: usize,
    /// Bytes of the data area, for error messages.
    data_len: u64,
    /// Bytes of the data area still to read; a trailing partial frame is never read.
    remaining: u64,
    buf: Vec<u8>,
}

impl FrameSource {
    /// Positions `file` at `data_offset`; `channel` must be below `channels`.
    pub(crate) fn new(
        mut file: File,
        encoding: Encoding,
        channels: u16,
        channel: u16,
        data_offset: u64,
        data_len: u64,
    ) -> Result<FrameSource, AudioErrorKind> {
        file.seek(SeekFrom::Start(data_offset))
            .map_err(AudioErrorKind::from_io)?;
        let sample_bytes = sample_bytes(encoding);
        let frame_bytes = (sample_bytes * usize::from(channels)).max(1);
        let frames_per_buffer = (READ_BUFFER_BYTES / frame_bytes).max(1);
        Ok(FrameSource {
            file,
            encoding,
            sample_bytes,
            frame_bytes,
            channel_offset: sample_bytes * usize::from(channel),
            data_len,
            remaining: data_len - data_len % frame_bytes as u64,
            buf: vec![0; frames_per_buffer * frame_bytes],
        })
    }

    /// Frames in the data area (a trailing partial frame does not count).
    pub(crate) fn total_frames(&self) -> u64 {
        self.data_len / self.frame_bytes as u64
    }

    /// Appends up to `max_frames` samples of the chosen channel to `out`; fewer only at the end.
    pub(crate) fn read_mono(
        &mut self,
        out: &mut Vec<i16>,
        max_frames: usize,
    ) -> Result<usize, AudioErrorKind> {
        let mut done = 0;
        while done < max_frames && self.remaining > 0 {
            let buffer_frames = self.buf.len() / self.frame_bytes;
            let left_frames =
                usize::try_from(self.remaining / self.frame_bytes as u64).unwrap_or(usize::MAX);
            let frames = (max_frames - done).min(buffer_frames).min(left_frames);
            let bytes = frames * self.frame_bytes;
            let Some(chunk) = self.buf.get_mut(..bytes) else {
                break;
            };
            let got = read_full(&mut self.file, chunk)?;
            if got < bytes {
                // The file shrank after the header was checked against its length.
                let read_before = self.data_len - self.remaining;
                return Err(AudioErrorKind::DataSizeExceedsFile {
                    declared: self.data_len,
                    available: read_before + got as u64,
                });
            }
            self.remaining -= bytes as u64;
            out.reserve(frames);
            self.decode_into(bytes, out);
            done += frames;
        }
        Ok(done)
    }

    fn decode_into(&self, bytes: usize, out: &mut Vec<i16>) {
        let data = self.buf.get(..bytes).unwrap_or(&[]);
        match self.encoding {
            Encoding::Pcm { bits: 8 } => {
                self.extract(data, out, |[x]: [u8; 1]| (i16::from(x) - 128) << 8)
            }
            Encoding::Pcm { bits: 16 } => self.extract(data, out, i16::from_le_bytes),
            // Keep the top 16 bits: the same as an arithmetic shift right by 8 or 16.
            Encoding::Pcm { bits: 24 } => {
                self.extract(data, out, |[_, b, c]: [u8; 3]| i16::from_le_bytes([b, c]))
            }
            Encoding::Pcm { .. } => self.extract(data, out, |[_, _, c, d]: [u8; 4]| {
                i16::from_le_bytes([c, d])
            }),
            Encoding::Float { bits: 32 } => self.extract(data, out, |b: [u8; 4]| {
                float_to_i16(f64::from(f32::from_le_bytes(b)))
            }),
            Encoding::Float { .. } => {
                self.extract(data, out, |b: [u8; 8]| float_to_i16(f64::from_le_bytes(b)))
            }
            Encoding::Ulaw => self.extract(data, out, |[x]: [u8; 1]| ulaw_to_linear(x)),
            Encoding::Alaw => self.extract(data, out, |[x]: [u8; 1]| alaw_to_linear(x)),
        }
    }

    /// Decodes the chosen channel of every whole frame in `data` with `decode`.
    fn extract<const N: usize>(
        &self,
        data: &[u8],
        out: &mut Vec<i16>,
        decode: impl Fn([u8; N]) -> i16,
    ) {
        let end = self.channel_offset + N;
        out.extend(
            data.chunks_exact(self.frame_bytes)
                .filter_map(|frame| frame.get(self.channel_offset..end))
                .filter_map(|sample| <[u8; N]>::try_from(sample).ok())
                .map(decode),
        );
        debug_assert_eq!(N, self.sample_bytes);
    }
}

/// Bytes per sample of one channel.
pub(crate) fn sample_bytes(encoding: Encoding) -> usize {
    match encoding {
        Encoding::Pcm { bits } | Encoding::Float { bits } => usize::from(bits / 8).max(1),
        Encoding::Ulaw | Encoding::Alaw => 1,
    }
}

/// Full scale float to 16-bit, rounded and clamped; NaN and infinities become silence.
pub(crate) fn float_to_i16(x: f64) -> i16 {
    if x.is_finite() {
        // `as` saturates, so values beyond full scale clip.
        (x * 32767.0).round() as i16
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_conversion_clips_rounds_and_silences_non_finite() {
        assert_eq!(float_to_i16(1.0), 32767);
        assert_eq!(float_to_i16(-1.0), -32767);
        assert_eq!(float_to_i16(2.5), 32767);
        assert_eq!(float_to_i16(-7.0), -32768);
        assert_eq!(float_to_i16(0.5), 16384);
        assert_eq!(float_to_i16(f64::NAN), 0);
        assert_eq!(float_to_i16(f64::INFINITY), 0);
        assert_eq!(float_to_i16(f64::NEG_INFINITY), 0);
    }
}
