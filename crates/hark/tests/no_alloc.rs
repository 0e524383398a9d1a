//! No heap allocation on the audio path: a counting global allocator watches a detector
//! through whole calls, resets included. (Its own test binary, as the allocator is global.)

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.load(Ordering::SeqCst) {
            ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        }
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if COUNTING.load(Ordering::SeqCst) {
            ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn wav(name: &str) -> Vec<i16> {
    let path = format!(
        "{}/../../testdata/asterisk/{name}.wav",
        env!("CARGO_MANIFEST_DIR")
    );
    hound::WavReader::open(&path)
        .unwrap()
        .samples::<i16>()
        .map(|s| s.unwrap())
        .collect()
}

#[test]
fn pushing_finishing_and_resetting_never_allocate() {
    // Speech, a beep, dual tones and silence: every path of the detector.
    let mut audio = vec![0i16; 4000];
    audio.extend(wav("vm-nobodyavail"));
    audio.extend(wav("vm-intro"));
    audio.extend(wav("beep"));
    audio.extend((0..16_000).map(|n| {
        let t = n as f32 / 8000.0;
        let tau = 2.0 * std::f32::consts::PI;
        (4000.0 * ((tau * 440.0 * t).sin() + (tau * 480.0 * t).sin())) as i16
    }));
    audio.extend(vec![0i16; 8000]);
    audio.extend(wav("hello"));
    audio.extend(vec![0i16; 40_000]);
    let ulaw: Vec<u8> = audio
        .iter()
        .map(|&s| hark::g711::linear_to_ulaw(s))
        .collect();
    let alaw: Vec<u8> = audio
        .iter()
        .map(|&s| hark::g711::linear_to_alaw(s))
        .collect();

    let plan = hark::Plan::new(hark::Config::default()).unwrap();
    let mut detector = hark::Detector::new(plan);
    let mut events = 0usize;
    let mut decisions = 0usize;
    let mut sink = |e: hark::Event| {
        events += 1;
        if matches!(e, hark::Event::Decision(_)) {
            decisions += 1;
        }
    };

    COUNTING.store(true, Ordering::SeqCst);
    for chunk in audio.chunks(160) {
        detector.push_pcm16(chunk, &mut sink);
    }
    detector.finish(&mut sink);
    detector.reset();
    for chunk in ulaw.chunks(7) {
        detector.push_ulaw(chunk, &mut sink);
    }
    detector.finish(&mut sink);
    detector.reset();
    detector.push_alaw(&alaw, &mut sink);
    detector.finish(&mut sink);
    COUNTING.store(false, Ordering::SeqCst);

    assert_eq!(
        ALLOCATIONS.load(Ordering::SeqCst),
        0,
        "allocations on the audio path"
    );
    assert_eq!(decisions, 3);
    assert!(events > 20, "only {events} events");
}
