//! The one error type of the crate: which file, and what is wrong with it.

use std::error::Error;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// A file could not be opened, decoded, resampled or written.
///
/// Its `Display` names the file and the problem, for example
/// `calls/x.wav: data chunk says 1000000 bytes but the file ends after 4000`, so a batch can
/// print it and go on with the next file.
#[derive(Debug)]
pub struct AudioError {
    path: PathBuf,
    kind: AudioErrorKind,
}

impl AudioError {
    pub(crate) fn new(path: &Path, kind: AudioErrorKind) -> AudioError {
        AudioError {
            path: path.to_path_buf(),
            kind,
        }
    }

    /// The file the error is about.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What went wrong.
    pub fn kind(&self) -> &AudioErrorKind {
        &self.kind
    }
}

impl fmt::Display for AudioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.kind)
    }
}

impl Error for AudioError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match &self.kind {
            AudioErrorKind::Io { source } => Some(source),
            _ => None,
        }
    }
}

/// What went wrong with a file, with the values that show it.
#[derive(Debug)]
#[non_exhaustive]
pub enum AudioErrorKind {
    /// There is no file at the path.
    NotFound,
    /// The path is a directory.
    IsDirectory,
    /// The operating system refused to open, read or write the file.
    Io {
        /// The underlying error.
        source: io::Error,
    },
    /// The file is 0 bytes long.
    Empty,
    /// The file does not start with a RIFF/WAVE header.
    NotRiffWave {
        /// The first bytes of the file (at most 12).
        start: Vec<u8>,
    },
    /// The file ends inside the RIFF header or inside the `fmt ` chunk.
    TruncatedHeader {
        /// Bytes the header or chunk needs.
        needed: u64,
        /// Bytes the file still holds there.
        available: u64,
    },
    /// The `fmt ` chunk is shorter than its format needs.
    FmtChunkTooShort {
        /// The chunk size the file declares.
        size: u32,
        /// The size the format needs.
        needed: u32,
    },
    /// No `fmt ` chunk before the end of the file.
    MissingFmtChunk,
    /// No `data` chunk before the end of the file.
    MissingDataChunk,
    /// The header says the file has no channels.
    ZeroChannels,
    /// The requested channel does not exist in the file.
    ChannelOutOfRange {
        /// The channel asked for (0-based).
        channel: u16,
        /// How many channels the file has.
        channels: u16,
    },
    /// The sample rate is 0 or above 768 kHz.
    InvalidSampleRate {
        /// The rate the header declares.
        rate: u32,
    },
    /// The sample format is known, but not with this sample width.
    UnsupportedBitsPerSample {
        /// The encoding, in words (`"PCM"`, `"float"`, `"mu-law"`, `"A-law"`).
        encoding: &'static str,
        /// The width the header declares.
        bits: u16,
    },
    /// The `fmt ` chunk names a codec this crate does not decode.
    UnsupportedFormatTag {
        /// The WAV format tag, e.g. 0x0055 for MPEG layer 3.
        tag: u16,
    },
    /// A WAVE_FORMAT_EXTENSIBLE sub-format GUID that is not PCM, float, mu-law or A-law.
    UnsupportedSubFormat {
        /// The GUID as stored in the file.
        guid: [u8; 16],
    },
    /// The `data` chunk claims more bytes than the file holds (a lying or truncated file).
    DataSizeExceedsFile {
        /// Bytes the chunk header declares.
        declared: u64,
        /// Bytes the file actually holds after the chunk header.
        available: u64,
    },
    /// A headerless 16-bit file whose length is not a whole number of samples.
    OddLengthRaw {
        /// The file length in bytes.
        len: u64,
    },
    /// The output would not fit in a WAV file (data of 4 GiB or more).
    TooLargeForWav {
        /// The number of samples asked to be written.
        samples: u64,
    },
    /// The resampler rejected its settings or its input (a bug, not a property of the file).
    Resampler {
        /// The resampler's own message.
        message: String,
    },
    /// The WAV writer failed for a reason other than I/O.
    Write {
        /// The writer's own message.
        message: String,
    },
}

impl AudioErrorKind {
    /// Classifies an I/O error, keeping "not found" and "is a directory" apart.
    pub(crate) fn from_io(source: io::Error) -> AudioErrorKind {
        match source.kind() {
            io::ErrorKind::NotFound => AudioErrorKind::NotFound,
            io::ErrorKind::IsADirectory => AudioErrorKind::IsDirectory,
            _ => AudioErrorKind::Io { source },
        }
    }
}

impl fmt::Display for AudioErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AudioErrorKind::NotFound => write!(f, "file not found"),
            AudioErrorKind::IsDirectory => write!(f, "is a directory, not an audio file"),
            AudioErrorKind::Io { source } => write!(f, "I/O error: {source}"),
            AudioErrorKind::Empty => write!(f, "file is empty (0 bytes)"),
            AudioErrorKind::NotRiffWave { start } => write!(
                f,
                "not a RIFF/WAVE file (it starts with \"{}\"); headerless audio needs a \
                 .ul, .al or .sln extension or a raw format option",
                start.escape_ascii()
            ),
            AudioErrorKind::TruncatedHeader { needed, available } => write!(
                f,
                "WAV header is truncated: it needs {needed} more bytes but the file ends after \
                 {available}"
            ),
            AudioErrorKind::FmtChunkTooShort { size, needed } => write!(
                f,
                "fmt chunk is too short: {size} bytes, this format needs {needed}"
            ),
            AudioErrorKind::MissingFmtChunk => write!(f, "WAV file has no fmt chunk"),
            AudioErrorKind::MissingDataChunk => write!(f, "WAV file has no data chunk"),
            AudioErrorKind::ZeroChannels => write!(f, "WAV header says the file has 0 channels"),
            AudioErrorKind::ChannelOutOfRange { channel, channels } => write!(
                f,
                "channel {channel} asked for, but the file has {channels} channel{} \
                 (channels count from 0)",
                if *channels == 1 { "" } else { "s" }
            ),
            AudioErrorKind::InvalidSampleRate { rate } => {
                write!(f, "invalid sample rate {rate} Hz (must be 1 to 768000)")
            }
            AudioErrorKind::UnsupportedBitsPerSample { encoding, bits } => {
                write!(f, "unsupported bits per sample: {bits}-bit {encoding}")
            }
            AudioErrorKind::UnsupportedFormatTag { tag } => {
                write!(f, "unsupported WAV format tag {tag:#06x}")?;
                match format_tag_name(*tag) {
                    Some(name) => write!(f, " ({name})"),
                    None => Ok(()),
                }
            }
            AudioErrorKind::UnsupportedSubFormat { guid } => {
                write!(
                    f,
                    "unsupported WAVE_FORMAT_EXTENSIBLE sub-format {}",
                    Guid(guid)
                )
            }
            AudioErrorKind::DataSizeExceedsFile {
                declared,
                available,
            } => write!(
                f,
                "data chunk says {declared} bytes but the file ends after {available} \
                 (truncated file or lying header)"
            ),
            AudioErrorKind::OddLengthRaw { len } => write!(
                f,
                "raw 16-bit file has an odd length ({len} bytes), so it is not whole samples"
            ),
            AudioErrorKind::TooLargeForWav { samples } => write!(
                f,
                "{samples} samples are too many for a WAV file (data must stay under 4 GiB)"
            ),
            AudioErrorKind::Resampler { message } => write!(f, "resampler failed: {message}"),
            AudioErrorKind::Write { message } => write!(f, "cannot write WAV: {message}"),
        }
    }
}

/// Names of format tags seen in telephony and in the wild, for error messages.
fn format_tag_name(tag: u16) -> Option<&'static str> {
    match tag {
        0x0002 => Some("Microsoft ADPCM"),
        0x0011 => Some("IMA ADPCM"),
        0x0031 => Some("GSM 6.10"),
        0x0050 => Some("MPEG"),
        0x0055 => Some("MPEG layer 3"),
        _ => None,
    }
}

/// A GUID as stored in a WAV file (little-endian first three fields), shown the usual way.
struct Guid<'a>(&'a [u8; 16]);

impl fmt::Display for Guid<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let g = self.0;
        write!(
            f,
            "{{{:02x}{:02x}{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-",
            g[3], g[2], g[1], g[0], g[5], g[4], g[7], g[6], g[8], g[9]
        )?;
        for byte in &g[10..] {
            write!(f, "{byte:02x}")?;
        }
        write!(f, "}}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guid_prints_in_registry_order() {
        // KSDATAFORMAT_SUBTYPE_MPEG as stored on disk.
        let guid = [
            0x50, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38,
            0x9b, 0x71,
        ];
        assert_eq!(
            Guid(&guid).to_string(),
            "{00000050-0000-0010-8000-00aa00389b71}"
        );
    }

    #[test]
    fn format_tag_message_has_hex_and_name() {
        let kind = AudioErrorKind::UnsupportedFormatTag { tag: 0x55 };
        let err = AudioError::new(Path::new("x.wav"), kind);
        assert_eq!(
            err.to_string(),
            "x.wav: unsupported WAV format tag 0x0055 (MPEG layer 3)"
        );
    }

    #[test]
    fn not_riff_message_escapes_binary() {
        let kind = AudioErrorKind::NotRiffWave {
            start: b"ID3\x03\x00".to_vec(),
        };
        assert!(kind.to_string().contains("\"ID3\\x03\\x00\""), "{kind}");
    }
}
