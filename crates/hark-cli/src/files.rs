//! Turning command-line paths into the list of files to classify.

use std::path::{Path, PathBuf};

const AUDIO_EXTENSIONS: [&str; 9] = [
    "wav", "ul", "ulaw", "mulaw", "al", "alaw", "sln", "raw", "pcm",
];

fn is_audio(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| AUDIO_EXTENSIONS.iter().any(|a| a.eq_ignore_ascii_case(e)))
}

/// Files named directly are kept as given (a missing or unreadable one becomes that file's
/// error later); folders are searched recursively for audio files, in name order.
pub fn expand(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            let before = out.len();
            walk(path, &mut out);
            // A folder with no audio in it is reported, not silently skipped.
            if out.len() == before {
                out.push(path.clone());
            }
        } else {
            out.push(path.clone());
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        // An unreadable folder is reported as a file that cannot be read.
        out.push(dir.to_path_buf());
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(&path, out);
        } else if path.is_file() && is_audio(&path) {
            // Only regular files: opening a named pipe would wait forever.
            out.push(path);
        }
    }
}
