//! Damaged input gives an error that names the file and the problem, never a panic.

use std::fs;

use hark_audio::{
    read_all, write_wav_pcm16, write_wav_ulaw, AudioErrorKind, AudioReader, ReadOptions,
};

use crate::support::*;

fn valid_wav(samples: usize) -> Vec<u8> {
    wav(
        chunk(b"fmt ", &fmt_body(1, 1, 8000, 16)),
        &le16(&noise(samples - 4, 7)),
    )
}

#[test]
fn broken_files_give_clear_errors() {
    let dir = TestDir::new("broken");
    let mut random = Vec::new();
    let mut state = 99u32;
    for _ in 0..4000 {
        state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        random.push((state >> 24) as u8);
    }
    let mut lying = valid_wav(2000);
    lying[40..44].copy_from_slice(&1_000_000u32.to_le_bytes());
    let with_fmt = |fmt: Vec<u8>| wav(chunk(b"fmt ", &fmt), &[0; 64]);
    fs::create_dir(dir.path("folder.wav")).unwrap();

    let cases: Vec<(&str, Option<Vec<u8>>, &str)> = vec![
        ("empty.wav", Some(vec![]), "empty"),
        ("folder.wav", None, "directory"),
        ("missing.wav", None, "not found"),
        ("random.wav", Some(random), "not a RIFF/WAVE file"),
        (
            "short.wav",
            Some(valid_wav(100)[..20].to_vec()),
            "truncated",
        ),
        (
            "lying.wav",
            Some(lying),
            "data chunk says 1000000 bytes but the file ends after 4000",
        ),
        (
            "mono0.wav",
            Some(with_fmt(fmt_body(1, 0, 8000, 16))),
            "0 channels",
        ),
        (
            "rate0.wav",
            Some(with_fmt(fmt_body(1, 1, 0, 16))),
            "invalid sample rate 0 Hz",
        ),
        (
            "rate4m.wav",
            Some(with_fmt(fmt_body(1, 1, 4_000_000, 16))),
            "sample rate 4000000",
        ),
        (
            "mp3.wav",
            Some(with_fmt(fmt_body(0x55, 1, 8000, 0))),
            "format tag 0x0055 (MPEG layer 3)",
        ),
        (
            "twelve.wav",
            Some(with_fmt(fmt_body(1, 1, 8000, 12))),
            "bits per sample: 12-bit PCM",
        ),
        (
            "nodata.wav",
            Some(riff(&[chunk(b"fmt ", &fmt_body(1, 1, 8000, 16))])),
            "no data chunk",
        ),
        (
            "nofmt.wav",
            Some(riff(&[chunk(b"data", &[0; 8])])),
            "no fmt chunk",
        ),
        ("odd.sln", Some(vec![0; 4001]), "odd length"),
        ("empty.ul", Some(vec![]), "empty"),
    ];
    for (name, bytes, phrase) in cases {
        let path = match bytes {
            Some(bytes) => dir.write(name, &bytes),
            None => dir.path(name),
        };
        let err = read_all(&path, &ReadOptions::default()).unwrap_err();
        let message = err.to_string();
        assert!(message.contains(name), "{message:?} does not name {name}");
        assert!(message.contains(phrase), "{message:?} lacks {phrase:?}");
        assert_eq!(err.path(), path);
    }
}

#[test]
fn file_shrinking_while_read_is_an_error() {
    let dir = TestDir::new("shrink");
    let path = dir.write("x.wav", &valid_wav(50_000));
    let mut reader = AudioReader::open(&path, &ReadOptions::default()).unwrap();
    let mut out = Vec::new();
    assert_eq!(reader.read_chunk(&mut out, 1000).unwrap(), 1000);
    fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(20_044)
        .unwrap();
    let err = loop {
        match reader.read_chunk(&mut out, 1000) {
            Ok(0) => panic!("end of file reported for a truncated file"),
            Ok(_) => {}
            Err(e) => break e,
        }
    };
    assert!(matches!(
        err.kind(),
        AudioErrorKind::DataSizeExceedsFile {
            declared: 100_000,
            ..
        }
    ));
    assert!(out.len() <= 10_000);
}

#[test]
fn corrupted_headers_never_panic() {
    let dir = TestDir::new("mutate");
    let original = valid_wav(400);
    let mut opened = 0;
    for at in 0..48 {
        for value in [0x00, 0x01, 0x7F, 0x80, 0xFF] {
            let mut bytes = original.clone();
            bytes[at] = value;
            let path = dir.write("m.wav", &bytes);
            let Ok(mut reader) = AudioReader::open(&path, &ReadOptions::default()) else {
                continue;
            };
            let mut samples = Vec::new();
            while reader.read_chunk(&mut samples, 4096).unwrap() > 0 {}
            let hint = reader.output_len_hint().unwrap();
            assert_eq!(samples.len() as u64, hint, "byte {at} = {value:#x}");
            opened += 1;
        }
    }
    assert!(opened > 0);
}

#[test]
fn read_chunk_edges() {
    let dir = TestDir::new("edges");
    let samples = noise(10, 8);
    let path = dir.path("x.wav");
    write_wav_pcm16(&path, &samples, 8000).unwrap();
    let mut reader = AudioReader::open(&path, &ReadOptions::default()).unwrap();
    let mut out = Vec::new();
    assert_eq!(
        reader.read_chunk(&mut out, 0).unwrap(),
        1,
        "max 0 reads one sample"
    );
    assert_eq!(reader.read_chunk(&mut out, 100).unwrap(), samples.len() - 1);
    assert_eq!(reader.read_chunk(&mut out, 100).unwrap(), 0);
    assert_eq!(reader.read_chunk(&mut out, 100).unwrap(), 0);
    assert_eq!(out, samples);

    // A WAV holding no samples at all reads as empty, at 8 kHz and resampled.
    for rate in [8000, 44_100] {
        let empty = dir.write(
            "none.wav",
            &wav(chunk(b"fmt ", &fmt_body(1, 1, rate, 16)), &[]),
        );
        assert_eq!(read(&empty), Vec::<i16>::new(), "{rate} Hz");
    }
}

#[test]
fn writers_report_bad_targets() {
    let dir = TestDir::new("write");
    let nowhere = dir.path("no/such/dir/x.wav");
    let err = write_wav_ulaw(&nowhere, &[1, 2, 3]).unwrap_err();
    assert!(err.to_string().contains("x.wav"), "{err}");
    let err = write_wav_pcm16(&nowhere, &[1, 2, 3], 8000).unwrap_err();
    assert!(matches!(err.kind(), AudioErrorKind::NotFound), "{err}");
    let err = write_wav_pcm16(dir.path("y.wav"), &[1], 0).unwrap_err();
    assert!(err.to_string().contains("sample rate 0"), "{err}");
}
