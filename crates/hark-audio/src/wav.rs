//! RIFF/WAVE header reader: walks the chunks, decodes `fmt `, finds `data`.
//!
//! One parser for every WAV flavour (PCM, float, G.711, WAVE_FORMAT_EXTENSIBLE) so that all
//! files get the same checks and the same error messages.

use std::io::{self, Read, Seek, SeekFrom};

use crate::error::AudioErrorKind;
use crate::Encoding;

/// Highest sample rate accepted; above this a header is taken to be corrupt.
pub(crate) const MAX_SAMPLE_RATE: u32 = 768_000;

/// A data size written by streaming writers (ffmpeg to a pipe) that did not know the length.
const UNKNOWN_DATA_SIZE: u32 = u32::MAX;

const TAG_PCM: u16 = 0x0001;
const TAG_FLOAT: u16 = 0x0003;
const TAG_ALAW: u16 = 0x0006;
const TAG_ULAW: u16 = 0x0007;
const TAG_EXTENSIBLE: u16 = 0xFFFE;

/// Bytes 2..16 of every `KSDATAFORMAT_SUBTYPE_*` GUID that wraps a plain format tag.
const SUBTYPE_GUID_TAIL: [u8; 14] = [
    0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71,
];

/// Where the samples are and how to decode them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WavLayout {
    pub encoding: Encoding,
    pub channels: u16,
    pub sample_rate: u32,
    /// File offset of the first sample byte.
    pub data_offset: u64,
    /// Bytes of sample data, checked against the file length.
    pub data_len: u64,
}

/// The decoded `fmt ` chunk.
struct Fmt {
    encoding: Encoding,
    channels: u16,
    sample_rate: u32,
}

/// Reads the header of a WAV file of `file_len` bytes from the reader's position (the start
/// of the file), leaving the reader at an unknown place.
///
/// A `data` chunk larger than the rest of the file is an error ([`AudioErrorKind::DataSizeExceedsFile`]),
/// except for the size 0xFFFFFFFF that streaming writers use for "until the end of the file".
pub(crate) fn read_header<R: Read + Seek>(
    reader: &mut R,
    file_len: u64,
) -> Result<WavLayout, AudioErrorKind> {
    let mut riff = [0u8; 12];
    let got = read_full(reader, &mut riff)?;
    let start = riff.get(..got).unwrap_or(&[]);
    let is_riff_wave =
        start.get(..4) == Some(b"RIFF") && start.get(8..12).is_none_or(|t| t == b"WAVE");
    if !is_riff_wave {
        return Err(AudioErrorKind::NotRiffWave {
            start: start.to_vec(),
        });
    }
    if got < riff.len() {
        return Err(AudioErrorKind::TruncatedHeader {
            needed: riff.len() as u64,
            available: got as u64,
        });
    }

    let mut fmt: Option<Fmt> = None;
    let mut data: Option<(u64, u32)> = None;
    let mut pos: u64 = 12;
    // A chunk header needs 8 bytes; fewer left over is trailing junk, not a chunk.
    while pos.saturating_add(8) <= file_len {
        reader
            .seek(SeekFrom::Start(pos))
            .map_err(AudioErrorKind::from_io)?;
        let mut header = [0u8; 8];
        if read_full(reader, &mut header)? < header.len() {
            break;
        }
        let [a, b, c, d, s0, s1, s2, s3] = header;
        let id = [a, b, c, d];
        let size = u32::from_le_bytes([s0, s1, s2, s3]);
        let body = pos + 8;
        match &id {
            b"fmt " if fmt.is_none() => fmt = Some(read_fmt(reader, size, file_len - body)?),
            b"data" if data.is_none() => {
                data = Some((body, size));
                if fmt.is_some() {
                    break;
                }
                if size == UNKNOWN_DATA_SIZE {
                    // Cannot skip a chunk of unknown length to look for a later fmt chunk.
                    break;
                }
            }
            _ => {}
        }
        // Chunks are padded to an even length.
        pos = body + u64::from(size) + u64::from(size & 1);
    }

    let fmt = fmt.ok_or(AudioErrorKind::MissingFmtChunk)?;
    let (data_offset, declared) = data.ok_or(AudioErrorKind::MissingDataChunk)?;
    let available = file_len.saturating_sub(data_offset);
    let data_len = if declared == UNKNOWN_DATA_SIZE {
        available
    } else if u64::from(declared) > available {
        return Err(AudioErrorKind::DataSizeExceedsFile {
            declared: u64::from(declared),
            available,
        });
    } else {
        u64::from(declared)
    };
    Ok(WavLayout {
        encoding: fmt.encoding,
        channels: fmt.channels,
        sample_rate: fmt.sample_rate,
        data_offset,
        data_len,
    })
}

/// Whether the file starts with `RIFF....WAVE`; rewinds to the start either way.
pub(crate) fn looks_like_wav<R: Read + Seek>(reader: &mut R) -> Result<bool, AudioErrorKind> {
    let mut start = [0u8; 12];
    let got = read_full(reader, &mut start)?;
    reader
        .seek(SeekFrom::Start(0))
        .map_err(AudioErrorKind::from_io)?;
    Ok(got == start.len() && start.starts_with(b"RIFF") && start.ends_with(b"WAVE"))
}

/// Reads and checks a `fmt ` chunk of `size` bytes whose body starts at the reader's position.
fn read_fmt<R: Read>(reader: &mut R, size: u32, available: u64) -> Result<Fmt, AudioErrorKind> {
    const PCMWAVEFORMAT_LEN: u32 = 16;
    const EXTENSIBLE_LEN: u32 = 40;
    if size < PCMWAVEFORMAT_LEN {
        return Err(AudioErrorKind::FmtChunkTooShort {
            size,
            needed: PCMWAVEFORMAT_LEN,
        });
    }
    if u64::from(size) > available {
        return Err(AudioErrorKind::TruncatedHeader {
            needed: u64::from(size),
            available,
        });
    }
    // Only the first 40 bytes matter; anything after them is codec-specific.
    let mut body = [0u8; EXTENSIBLE_LEN as usize];
    let want = body.len().min(size as usize);
    let got = read_full(reader, body.get_mut(..want).unwrap_or(&mut []))?;
    if got < want {
        return Err(AudioErrorKind::TruncatedHeader {
            needed: u64::from(size),
            available: got as u64,
        });
    }
    let u16_at = |at: usize| u16::from_le_bytes([body[at], body[at + 1]]);
    let format_tag = u16_at(0);
    let channels = u16_at(2);
    let sample_rate = u32::from_le_bytes([body[4], body[5], body[6], body[7]]);
    let bits = u16_at(14);

    let tag = if format_tag == TAG_EXTENSIBLE {
        if size < EXTENSIBLE_LEN {
            return Err(AudioErrorKind::FmtChunkTooShort {
                size,
                needed: EXTENSIBLE_LEN,
            });
        }
        let mut guid = [0u8; 16];
        guid.copy_from_slice(&body[24..40]);
        if guid[2..] != SUBTYPE_GUID_TAIL {
            return Err(AudioErrorKind::UnsupportedSubFormat { guid });
        }
        u16::from_le_bytes([guid[0], guid[1]])
    } else {
        format_tag
    };

    let encoding = match tag {
        TAG_PCM => match bits {
            8 | 16 | 24 | 32 => Encoding::Pcm { bits },
            _ => return Err(unsupported_bits("PCM", bits)),
        },
        TAG_FLOAT => match bits {
            32 | 64 => Encoding::Float { bits },
            _ => return Err(unsupported_bits("float", bits)),
        },
        TAG_ULAW if bits == 8 => Encoding::Ulaw,
        TAG_ULAW => return Err(unsupported_bits("mu-law", bits)),
        TAG_ALAW if bits == 8 => Encoding::Alaw,
        TAG_ALAW => return Err(unsupported_bits("A-law", bits)),
        _ => return Err(AudioErrorKind::UnsupportedFormatTag { tag }),
    };
    if channels == 0 {
        return Err(AudioErrorKind::ZeroChannels);
    }
    if sample_rate == 0 || sample_rate > MAX_SAMPLE_RATE {
        return Err(AudioErrorKind::InvalidSampleRate { rate: sample_rate });
    }
    Ok(Fmt {
        encoding,
        channels,
        sample_rate,
    })
}

fn unsupported_bits(encoding: &'static str, bits: u16) -> AudioErrorKind {
    AudioErrorKind::UnsupportedBitsPerSample { encoding, bits }
}

/// Fills `buf` as far as the reader allows; returns the bytes read, fewer only at end of file.
pub(crate) fn read_full<R: Read>(reader: &mut R, buf: &mut [u8]) -> Result<usize, AudioErrorKind> {
    let mut filled = 0;
    while let Some(rest) = buf.get_mut(filled..) {
        if rest.is_empty() {
            break;
        }
        match reader.read(rest) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(AudioErrorKind::from_io(e)),
        }
    }
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn chunk(id: &[u8; 4], body: &[u8]) -> Vec<u8> {
        let mut out = id.to_vec();
        out.extend_from_slice(&(body.len() as u32).to_le_bytes());
        out.extend_from_slice(body);
        if body.len() % 2 == 1 {
            out.push(0);
        }
        out
    }

    fn fmt_body(tag: u16, channels: u16, rate: u32, bits: u16) -> Vec<u8> {
        let block = channels * bits.div_ceil(8);
        let mut b = Vec::new();
        b.extend_from_slice(&tag.to_le_bytes());
        b.extend_from_slice(&channels.to_le_bytes());
        b.extend_from_slice(&rate.to_le_bytes());
        b.extend_from_slice(&(rate * u32::from(block)).to_le_bytes());
        b.extend_from_slice(&block.to_le_bytes());
        b.extend_from_slice(&bits.to_le_bytes());
        b
    }

    fn riff(chunks: &[Vec<u8>]) -> Vec<u8> {
        let body: Vec<u8> = chunks.concat();
        let mut out = b"RIFF".to_vec();
        out.extend_from_slice(&(body.len() as u32 + 4).to_le_bytes());
        out.extend_from_slice(b"WAVE");
        out.extend_from_slice(&body);
        out
    }

    fn parse(bytes: &[u8]) -> Result<WavLayout, AudioErrorKind> {
        read_header(&mut Cursor::new(bytes), bytes.len() as u64)
    }

    #[test]
    fn skips_unknown_odd_chunks_with_pad_byte() {
        let bytes = riff(&[
            chunk(b"LIST", &[1, 2, 3]),
            chunk(b"fmt ", &fmt_body(1, 1, 8000, 16)),
            chunk(b"junk", &[9; 5]),
            chunk(b"data", &[0; 10]),
        ]);
        let layout = parse(&bytes).unwrap();
        assert_eq!(layout.encoding, Encoding::Pcm { bits: 16 });
        assert_eq!(layout.data_len, 10);
        assert_eq!(layout.data_offset, bytes.len() as u64 - 10);
    }

    #[test]
    fn data_before_fmt_is_found() {
        let bytes = riff(&[
            chunk(b"data", &[0; 4]),
            chunk(b"fmt ", &fmt_body(7, 1, 8000, 8)),
        ]);
        let layout = parse(&bytes).unwrap();
        assert_eq!(layout.encoding, Encoding::Ulaw);
        assert_eq!((layout.data_offset, layout.data_len), (20, 4));
    }

    #[test]
    fn unknown_data_size_reads_to_end_of_file() {
        let mut bytes = riff(&[chunk(b"fmt ", &fmt_body(6, 1, 8000, 8))]);
        bytes.extend_from_slice(b"data");
        bytes.extend_from_slice(&u32::MAX.to_le_bytes());
        bytes.extend_from_slice(&[0xD5; 7]);
        let layout = parse(&bytes).unwrap();
        assert_eq!(layout.data_len, 7);
    }

    #[test]
    fn rejects_what_it_cannot_decode() {
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (
                riff(&[
                    chunk(b"fmt ", &fmt_body(1, 1, 8000, 12)),
                    chunk(b"data", &[]),
                ]),
                "12-bit PCM",
            ),
            (
                riff(&[
                    chunk(b"fmt ", &fmt_body(3, 1, 8000, 16)),
                    chunk(b"data", &[]),
                ]),
                "16-bit float",
            ),
            (
                riff(&[
                    chunk(b"fmt ", &fmt_body(7, 1, 8000, 16)),
                    chunk(b"data", &[]),
                ]),
                "16-bit mu-law",
            ),
            (riff(&[chunk(b"fmt ", &[1, 0, 1, 0])]), "too short"),
            (
                riff(&[chunk(b"fmt ", &fmt_body(1, 1, 8000, 16))]),
                "no data",
            ),
            (riff(&[chunk(b"data", &[0; 4])]), "no fmt"),
            (b"RIFF\x04\x00\x00\x00AVI ".to_vec(), "not a RIFF/WAVE"),
            (b"RIF".to_vec(), "not a RIFF/WAVE"),
            (b"RIFF\x04\x00".to_vec(), "truncated"),
        ];
        for (bytes, expected) in cases {
            let message = parse(&bytes).unwrap_err().to_string();
            assert!(message.contains(expected), "{message:?} lacks {expected:?}");
        }
    }

    #[test]
    fn extensible_with_foreign_guid_is_named() {
        let mut body = fmt_body(TAG_EXTENSIBLE, 1, 8000, 16);
        body.extend_from_slice(&22u16.to_le_bytes());
        body.extend_from_slice(&16u16.to_le_bytes());
        body.extend_from_slice(&4u32.to_le_bytes());
        body.extend_from_slice(&[0xAB; 16]);
        let bytes = riff(&[chunk(b"fmt ", &body), chunk(b"data", &[])]);
        let message = parse(&bytes).unwrap_err().to_string();
        assert!(
            message.contains("{abababab-abab-abab-abab-abababababab}"),
            "{message}"
        );
    }
}
