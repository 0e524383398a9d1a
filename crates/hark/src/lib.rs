//! hark: streaming answering-machine detection.
#![deny(missing_docs)]
pub mod g711;
