//! A fixed ring of the most recent samples, addressed by absolute stream position.

use crate::plan::HISTORY;

/// The last [`HISTORY`] samples of the stream.
pub(crate) struct History {
    ring: Box<[i16]>,
    /// Samples pushed since the start of the call.
    pos: u64,
}

impl History {
    pub fn new() -> Self {
        History {
            ring: vec![0; HISTORY].into_boxed_slice(),
            pos: 0,
        }
    }

    pub fn reset(&mut self) {
        self.ring.fill(0);
        self.pos = 0;
    }

    #[inline]
    pub fn push(&mut self, sample: i16) {
        let i = (self.pos % HISTORY as u64) as usize;
        self.ring[i] = sample;
        self.pos += 1;
    }

    /// Samples pushed so far.
    #[inline]
    pub fn pos(&self) -> u64 {
        self.pos
    }

    /// The oldest position still held.
    #[inline]
    pub fn oldest(&self) -> u64 {
        self.pos.saturating_sub(HISTORY as u64)
    }

    /// The sample at absolute position `n`, scaled to -1..1. `n` must lie before `pos()` and
    /// no further back than [`HISTORY`]; positions before the start of the call read as
    /// silence.
    #[inline]
    pub fn at(&self, n: i64) -> f32 {
        if n < 0 || n as u64 >= self.pos || (n as u64) < self.oldest() {
            return 0.0;
        }
        self.ring[(n as u64 % HISTORY as u64) as usize] as f32 * (1.0 / 32768.0)
    }
}
