//! Headerless telephone audio: G.711 or 16-bit PCM, 8 kHz mono, recognised by extension.

use std::path::Path;

use crate::Encoding;

/// Sample rate of every headerless format.
pub(crate) const RAW_SAMPLE_RATE: u32 = 8000;

/// A headerless 8 kHz mono format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RawFormat {
    /// G.711 mu-law, one byte per sample (`.ul`, `.ulaw`, `.mulaw`).
    Ulaw,
    /// G.711 A-law, one byte per sample (`.al`, `.alaw`).
    Alaw,
    /// Signed 16-bit little-endian PCM, Asterisk's "signed linear" (`.sln`, `.raw`, `.pcm`).
    Pcm16,
}

impl RawFormat {
    /// The headerless format a file name's extension stands for (case-insensitive), if any.
    ///
    /// ```
    /// use hark_audio::RawFormat;
    /// assert_eq!(RawFormat::from_extension("calls/17.UL"), Some(RawFormat::Ulaw));
    /// assert_eq!(RawFormat::from_extension("calls/17.wav"), None);
    /// ```
    pub fn from_extension(path: impl AsRef<Path>) -> Option<RawFormat> {
        let ext = path.as_ref().extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "ul" | "ulaw" | "mulaw" => Some(RawFormat::Ulaw),
            "al" | "alaw" => Some(RawFormat::Alaw),
            "sln" | "raw" | "pcm" => Some(RawFormat::Pcm16),
            _ => None,
        }
    }

    /// How the samples are stored.
    pub fn encoding(self) -> Encoding {
        match self {
            RawFormat::Ulaw => Encoding::Ulaw,
            RawFormat::Alaw => Encoding::Alaw,
            RawFormat::Pcm16 => Encoding::Pcm { bits: 16 },
        }
    }
}
