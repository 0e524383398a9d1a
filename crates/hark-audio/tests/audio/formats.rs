//! Every supported format read back to the expected samples.

use std::fs;

use hark::g711::{alaw_to_linear, linear_to_alaw, linear_to_ulaw, ulaw_to_linear};
use hark_audio::{
    read_all, write_wav_pcm16, write_wav_ulaw, AudioErrorKind, AudioReader, Encoding, RawFormat,
    ReadOptions, SourceFormat,
};

use crate::support::*;

#[test]
fn pcm16_8k_reads_back_sample_for_sample() {
    let dir = TestDir::new("pcm16");
    let samples = noise(20_001, 1);
    let path = dir.path("x.wav");
    write_wav_pcm16(&path, &samples, 8000).unwrap();
    assert_eq!(read(&path), samples);
    let reader = AudioReader::open(&path, &ReadOptions::default()).unwrap();
    let expected = SourceFormat {
        encoding: Encoding::Pcm { bits: 16 },
        sample_rate: 8000,
        channels: 1,
        frames: Some(samples.len() as u64),
    };
    assert_eq!(reader.source_format(), &expected);
    assert_eq!(reader.path(), path);
}

#[test]
fn asterisk_prompts_match_hound() {
    let mut checked = 0;
    for entry in fs::read_dir(asterisk_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "wav") {
            continue;
        }
        let expected: Vec<i16> = hound::WavReader::open(&path)
            .unwrap()
            .samples::<i16>()
            .map(Result::unwrap)
            .collect();
        let got = read(&path);
        assert!(!got.is_empty());
        assert_eq!(got, expected, "{}", path.display());
        assert_eq!(read_chunked(&path, 160), expected);
        checked += 1;
    }
    assert!(checked >= 5);
    let hello = read(&asterisk_dir().join("hello.wav"));
    let beep = read(&asterisk_dir().join("beep.wav"));
    assert!(hello.len() > 4000);
    assert_eq!(beep.len(), 3404);
}

#[test]
fn ulaw_wav_from_writer_has_fact_chunk_and_decodes() {
    let dir = TestDir::new("ulaw-writer");
    let samples = noise(999, 2); // odd data length: the writer adds a pad byte
    let path = dir.path("x.wav");
    write_wav_ulaw(&path, &samples).unwrap();
    let bytes = fs::read(&path).unwrap();
    assert_eq!(&bytes[20..22], &7u16.to_le_bytes(), "format tag");
    assert_eq!(&bytes[38..42], b"fact");
    assert_eq!(&bytes[46..50], &(samples.len() as u32).to_le_bytes());
    assert_eq!(bytes.len() % 2, 0);
    let expected: Vec<i16> = samples
        .iter()
        .map(|&s| ulaw_to_linear(linear_to_ulaw(s)))
        .collect();
    assert_eq!(read(&path), expected);
    let format = AudioReader::open(&path, &ReadOptions::default()).unwrap();
    assert_eq!(format.source_format().encoding, Encoding::Ulaw);
    assert_eq!(format.source_format().frames, Some(samples.len() as u64));
}

#[test]
fn hand_built_g711_wavs_decode_every_code() {
    let dir = TestDir::new("g711");
    let codes: Vec<u8> = (0..=255).collect();
    let ulaw = dir.write(
        "u.wav",
        &wav(chunk(b"fmt ", &fmt_body(7, 1, 8000, 8)), &codes),
    );
    let alaw = dir.write(
        "a.wav",
        &wav(chunk(b"fmt ", &fmt_body(6, 1, 8000, 8)), &codes),
    );
    let expected_u: Vec<i16> = codes.iter().map(|&c| ulaw_to_linear(c)).collect();
    let expected_a: Vec<i16> = codes.iter().map(|&c| alaw_to_linear(c)).collect();
    assert_eq!(read(&ulaw), expected_u);
    assert_eq!(read(&alaw), expected_a);
    // Spot values from G.711 itself, not only from the tables.
    assert_eq!(expected_u[0xFF], 0);
    assert_eq!(expected_u[0x00], -32124);
    assert_eq!(expected_a[0xD5], 8);
    assert_eq!(expected_a[0xAA], 32256);

    // Stereo A-law: channel 1 holds the reversed codes.
    let interleaved: Vec<u8> = codes.iter().flat_map(|&c| [c, 255 - c]).collect();
    let stereo = dir.write(
        "s.wav",
        &wav(chunk(b"fmt ", &fmt_body(6, 2, 8000, 8)), &interleaved),
    );
    let opts = ReadOptions {
        channel: 1,
        ..ReadOptions::default()
    };
    let right = read_all(&stereo, &opts).unwrap();
    let expected: Vec<i16> = codes.iter().map(|&c| alaw_to_linear(255 - c)).collect();
    assert_eq!(right, expected);
}

#[test]
fn extensible_pcm_and_ulaw_read() {
    let dir = TestDir::new("extensible");
    let samples = noise(500, 3);
    let pcm = dir.write(
        "pcm.wav",
        &wav(
            chunk(b"fmt ", &extensible_fmt_body(1, 1, 8000, 16)),
            &le16(&samples),
        ),
    );
    assert_eq!(read(&pcm), samples);

    let codes: Vec<u8> = samples.iter().map(|&s| linear_to_ulaw(s)).collect();
    let ulaw = dir.write(
        "ulaw.wav",
        &wav(chunk(b"fmt ", &extensible_fmt_body(7, 1, 8000, 8)), &codes),
    );
    let expected: Vec<i16> = codes.iter().map(|&c| ulaw_to_linear(c)).collect();
    assert_eq!(read(&ulaw), expected);

    let alaw_codes: Vec<u8> = samples.iter().map(|&s| linear_to_alaw(s)).collect();
    let alaw = dir.write(
        "alaw.wav",
        &wav(
            chunk(b"fmt ", &extensible_fmt_body(6, 1, 8000, 8)),
            &alaw_codes,
        ),
    );
    let expected: Vec<i16> = alaw_codes.iter().map(|&c| alaw_to_linear(c)).collect();
    assert_eq!(read(&alaw), expected);
}

#[test]
fn other_bit_depths_scale_to_16_bits() {
    let dir = TestDir::new("depths");
    let base = noise(300, 4);

    let p8 = dir.path("8.wav");
    let s8: Vec<i8> = base.iter().map(|&s| (s >> 8) as i8).collect();
    hound_write(&p8, spec(1, 8000, 8, false), &s8);
    assert_eq!(
        read(&p8),
        s8.iter().map(|&s| i16::from(s) << 8).collect::<Vec<_>>()
    );

    // hound writes these two as WAVE_FORMAT_EXTENSIBLE.
    let p24 = dir.path("24.wav");
    let s24: Vec<i32> = base.iter().map(|&s| i32::from(s) * 256 + 0x5A).collect();
    hound_write(&p24, spec(1, 8000, 24, false), &s24);
    assert_eq!(read(&p24), base);

    let p32 = dir.path("32.wav");
    let s32: Vec<i32> = base
        .iter()
        .map(|&s| i32::from(s) * 65536 + 0x1234)
        .collect();
    hound_write(&p32, spec(1, 8000, 32, false), &s32);
    let expected: Vec<i16> = s32.iter().map(|&s| (s >> 16) as i16).collect();
    assert_eq!(read(&p32), expected);
    let reader = AudioReader::open(&p32, &ReadOptions::default()).unwrap();
    assert_eq!(reader.source_format().encoding, Encoding::Pcm { bits: 32 });
}

#[test]
fn float_wavs_scale_clip_and_silence_non_finite() {
    let dir = TestDir::new("float");
    let values = [
        0.0f32,
        0.5,
        -0.5,
        1.0,
        -1.0,
        3.0,
        -3.0,
        f32::NAN,
        f32::INFINITY,
        -f32::INFINITY,
        1e-6,
    ];
    let expected = [
        0i16, 16384, -16384, 32767, -32767, 32767, -32768, 0, 0, 0, 0,
    ];
    let p32 = dir.path("f32.wav");
    hound_write(&p32, spec(1, 8000, 32, true), &values);
    assert_eq!(read(&p32), expected);
    let reader = AudioReader::open(&p32, &ReadOptions::default()).unwrap();
    assert_eq!(
        reader.source_format().encoding,
        Encoding::Float { bits: 32 }
    );

    let data: Vec<u8> = values
        .iter()
        .flat_map(|&v| f64::from(v).to_le_bytes())
        .collect();
    let p64 = dir.write(
        "f64.wav",
        &wav(chunk(b"fmt ", &fmt_body(3, 1, 8000, 64)), &data),
    );
    assert_eq!(read(&p64), expected);
}

#[test]
fn raw_files_by_extension_and_by_option() {
    let dir = TestDir::new("raw");
    let samples = noise(801, 5);
    let ulaw: Vec<u8> = samples.iter().map(|&s| linear_to_ulaw(s)).collect();
    let alaw: Vec<u8> = samples.iter().map(|&s| linear_to_alaw(s)).collect();
    let from_ulaw: Vec<i16> = ulaw.iter().map(|&c| ulaw_to_linear(c)).collect();
    let from_alaw: Vec<i16> = alaw.iter().map(|&c| alaw_to_linear(c)).collect();
    for name in ["x.ul", "x.ulaw", "x.mulaw", "X.UL"] {
        assert_eq!(read(&dir.write(name, &ulaw)), from_ulaw, "{name}");
    }
    for name in ["x.al", "x.alaw"] {
        assert_eq!(read(&dir.write(name, &alaw)), from_alaw, "{name}");
    }
    for name in ["x.sln", "x.raw", "x.pcm"] {
        assert_eq!(read(&dir.write(name, &le16(&samples))), samples, "{name}");
    }
    let sln = AudioReader::open(dir.path("x.sln"), &ReadOptions::default()).unwrap();
    assert_eq!(sln.source_format().sample_rate, 8000);
    assert_eq!(sln.source_format().frames, Some(samples.len() as u64));

    // A forced format wins over the extension, even over ".wav".
    let forced = dir.write("odd-name.wav", &alaw);
    let opts = ReadOptions {
        raw_format: Some(RawFormat::Alaw),
        ..ReadOptions::default()
    };
    assert_eq!(read_all(&forced, &opts).unwrap(), from_alaw);
}

#[test]
fn stereo_channels_are_separate_and_missing_channel_is_an_error() {
    let dir = TestDir::new("stereo");
    let left = sine(8000, 500.0, 10_000.0, 0.5);
    let right = noise(left.len() - 4, 6); // noise() adds 4 samples
    let interleaved: Vec<i16> = left
        .iter()
        .zip(&right)
        .flat_map(|(&l, &r)| [l, r])
        .collect();
    let path = dir.path("call.wav");
    hound_write(&path, spec(2, 8000, 16, false), &interleaved);
    let channel = |channel| {
        read_all(
            &path,
            &ReadOptions {
                channel,
                ..ReadOptions::default()
            },
        )
    };
    assert_eq!(channel(0).unwrap(), left);
    assert_eq!(channel(1).unwrap(), right);
    let err = channel(2).unwrap_err();
    assert!(matches!(
        err.kind(),
        AudioErrorKind::ChannelOutOfRange {
            channel: 2,
            channels: 2
        }
    ));
    let message = err.to_string();
    assert!(
        message.contains("call.wav") && message.contains("channel 2"),
        "{message}"
    );
}

#[test]
fn wav_named_like_raw_is_read_as_wav_unless_forced() {
    let dir = TestDir::new("misnamed");
    let samples = sine(16_000, 440.0, 9000.0, 0.25);
    let proper = dir.path("x.wav");
    let misnamed = dir.path("x.sln");
    write_wav_pcm16(&proper, &samples, 16_000).unwrap();
    write_wav_pcm16(&misnamed, &samples, 16_000).unwrap();
    let reader = AudioReader::open(&misnamed, &ReadOptions::default()).unwrap();
    assert_eq!(reader.source_format().sample_rate, 16_000);
    assert_eq!(read(&misnamed), read(&proper));

    let opts = ReadOptions {
        raw_format: Some(RawFormat::Pcm16),
        ..ReadOptions::default()
    };
    let as_raw = read_all(&misnamed, &opts).unwrap();
    assert_eq!(
        as_raw.len(),
        22 + samples.len(),
        "44 header bytes read as samples"
    );
    assert_eq!(as_raw[22..], samples[..]);
}
