#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

mod decode;
mod error;
mod raw;
mod resample;
mod wav;
mod write;

use std::fmt;
use std::fs::{self, File};
use std::path::{Path, PathBuf};

use crate::decode::FrameSource;
use crate::resample::To8k;
use crate::wav::WavLayout;

pub use crate::error::{AudioError, AudioErrorKind};
pub use crate::raw::RawFormat;
pub use crate::write::{write_wav_pcm16, write_wav_ulaw};

/// The sample rate of everything [`AudioReader`] returns.
pub const OUTPUT_SAMPLE_RATE: u32 = resample::OUTPUT_RATE;

/// How to read a file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct ReadOptions {
    /// The channel to read from a multi-channel file, counting from 0.
    pub channel: u16,
    /// Decode the file as this headerless format whatever its name and content. `None`
    /// decides by extension (see [`RawFormat::from_extension`]), unless the file starts with
    /// a RIFF/WAVE header, and reads anything else as WAV.
    pub raw_format: Option<RawFormat>,
}

/// How the samples of a file are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Encoding {
    /// Integer PCM: 8-bit unsigned, or 16, 24 or 32-bit signed.
    Pcm {
        /// Bits per sample.
        bits: u16,
    },
    /// IEEE float, 32 or 64 bits, full scale at ±1.0.
    Float {
        /// Bits per sample.
        bits: u16,
    },
    /// G.711 mu-law.
    Ulaw,
    /// G.711 A-law.
    Alaw,
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Encoding::Pcm { bits } => write!(f, "{bits}-bit PCM"),
            Encoding::Float { bits } => write!(f, "{bits}-bit float"),
            Encoding::Ulaw => write!(f, "G.711 mu-law"),
            Encoding::Alaw => write!(f, "G.711 A-law"),
        }
    }
}

/// The format of a file as stored, before channel selection and resampling.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SourceFormat {
    /// How samples are stored.
    pub encoding: Encoding,
    /// Frames per second in the file.
    pub sample_rate: u32,
    /// Interleaved channels in the file.
    pub channels: u16,
    /// Frames (samples per channel) in the file, if known.
    pub frames: Option<u64>,
}

impl fmt::Display for SourceFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = if self.channels == 1 { "" } else { "s" };
        write!(
            f,
            "{}, {} Hz, {} channel{plural}",
            self.encoding, self.sample_rate, self.channels
        )?;
        if let Some(frames) = self.frames {
            write!(f, ", {frames} frames")?;
        }
        Ok(())
    }
}

/// Streams one channel of an audio file as 8 kHz mono 16-bit samples.
///
/// Memory use is bounded by the read and resampler buffers (tens of kilobytes), whatever
/// the length of the file.
#[derive(Debug)]
pub struct AudioReader {
    path: PathBuf,
    format: SourceFormat,
    source: FrameSource,
    /// `None` when the file already is at 8 kHz.
    to_8k: Option<To8k>,
}

impl AudioReader {
    /// Opens a file and checks its header; see the crate docs for the formats.
    ///
    /// Every problem the header shows (unsupported format, lying sizes, missing channel) is
    /// reported here, before any sample is read.
    pub fn open(path: impl AsRef<Path>, opts: &ReadOptions) -> Result<AudioReader, AudioError> {
        let path = path.as_ref();
        let (format, source, to_8k) =
            open_source(path, opts).map_err(|kind| AudioError::new(path, kind))?;
        Ok(AudioReader {
            path: path.to_path_buf(),
            format,
            source,
            to_8k,
        })
    }

    /// The file's format as stored.
    pub fn source_format(&self) -> &SourceFormat {
        &self.format
    }

    /// The path the reader was opened with.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends up to `max` 8 kHz mono samples to `out`; returns how many were appended, 0 at
    /// end of file.
    ///
    /// Fewer than `max` samples are appended only at the end of the file. A `max` of 0 is
    /// taken as 1, so that 0 always means the end. The samples do not depend on how the
    /// reads are chunked. After an error the reader's position is unspecified: drop it.
    pub fn read_chunk(&mut self, out: &mut Vec<i16>, max: usize) -> Result<usize, AudioError> {
        let max = max.max(1);
        let result = match &mut self.to_8k {
            Some(to_8k) => to_8k.read(&mut self.source, out, max),
            None => self.source.read_mono(out, max),
        };
        result.map_err(|kind| AudioError::new(&self.path, kind))
    }

    /// How many 8 kHz samples the whole file gives (exact unless the file changes while it
    /// is read), for sizing buffers and progress bars.
    pub fn output_len_hint(&self) -> Option<u64> {
        if self.format.sample_rate == 0 {
            return None;
        }
        let frames = u128::from(self.format.frames?);
        let out =
            (frames * u128::from(OUTPUT_SAMPLE_RATE)).div_ceil(u128::from(self.format.sample_rate));
        u64::try_from(out).ok()
    }
}

/// Reads a whole file as 8 kHz mono samples: convenient for short files, allocates them all.
pub fn read_all(path: impl AsRef<Path>, opts: &ReadOptions) -> Result<Vec<i16>, AudioError> {
    // Trust the header only this far when reserving memory up front.
    const MAX_RESERVE: u64 = 1 << 24;
    let mut reader = AudioReader::open(path, opts)?;
    let hint = reader.output_len_hint().unwrap_or(0).min(MAX_RESERVE);
    let mut samples = Vec::with_capacity(usize::try_from(hint).unwrap_or(0));
    while reader.read_chunk(&mut samples, 1 << 16)? > 0 {}
    Ok(samples)
}

fn open_source(
    path: &Path,
    opts: &ReadOptions,
) -> Result<(SourceFormat, FrameSource, Option<To8k>), AudioErrorKind> {
    if fs::metadata(path)
        .map_err(AudioErrorKind::from_io)?
        .is_dir()
    {
        return Err(AudioErrorKind::IsDirectory);
    }
    let mut file = File::open(path).map_err(AudioErrorKind::from_io)?;
    let file_len = file.metadata().map_err(AudioErrorKind::from_io)?.len();
    if file_len == 0 {
        return Err(AudioErrorKind::Empty);
    }
    let raw = match (opts.raw_format, RawFormat::from_extension(path)) {
        (Some(forced), _) => Some(forced),
        // A WAV file misnamed `.raw` or `.sln` is still read as the WAV it is.
        (None, Some(by_name)) if !wav::looks_like_wav(&mut file)? => Some(by_name),
        (None, _) => None,
    };
    let layout = match raw {
        Some(raw) => {
            if raw == RawFormat::Pcm16 && file_len % 2 == 1 {
                return Err(AudioErrorKind::OddLengthRaw { len: file_len });
            }
            WavLayout {
                encoding: raw.encoding(),
                channels: 1,
                sample_rate: raw::RAW_SAMPLE_RATE,
                data_offset: 0,
                data_len: file_len,
            }
        }
        None => wav::read_header(&mut file, file_len)?,
    };
    if opts.channel >= layout.channels {
        return Err(AudioErrorKind::ChannelOutOfRange {
            channel: opts.channel,
            channels: layout.channels,
        });
    }
    let source = FrameSource::new(
        file,
        layout.encoding,
        layout.channels,
        opts.channel,
        layout.data_offset,
        layout.data_len,
    )?;
    let format = SourceFormat {
        encoding: layout.encoding,
        sample_rate: layout.sample_rate,
        channels: layout.channels,
        frames: Some(source.total_frames()),
    };
    let to_8k = if layout.sample_rate == OUTPUT_SAMPLE_RATE {
        None
    } else {
        Some(To8k::new(layout.sample_rate)?)
    };
    Ok((format, source, to_8k))
}

// The CLI reads files on worker threads and sends errors between them.
const _: () = {
    const fn send<T: Send>() {}
    const fn send_sync<T: Send + Sync>() {}
    send::<AudioReader>();
    send_sync::<AudioError>();
};
