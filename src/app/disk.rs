//! The open file as it is on disk: a stamp of its content (hash, size, modification time)
//! taken when it was loaded or saved, the check that tells whether it changed since (cheap
//! from size and time, exact from the content), and the line diff that shows how.

use std::path::Path;
use std::time::SystemTime;

use crate::files;
use crate::scenario::limits::MAX_FILE_BYTES;

/// What the app knows of the file's content on disk (as loaded or last saved).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiskStamp {
    /// FNV-1a 64 of the file's bytes.
    pub hash: u64,
    /// Size in bytes.
    pub len: u64,
    /// Modification time, when the filesystem gives one.
    pub modified: Option<SystemTime>,
}

/// FNV-1a 64 of `bytes`: a content hash that tells two versions of a file apart.
pub fn content_hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The file's modification time and size, without reading it.
fn quick_meta(path: &Path) -> Option<(u64, Option<SystemTime>)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.len(), meta.modified().ok()))
}

impl DiskStamp {
    /// The stamp of `bytes` just read from or written to `path`.
    pub fn of_bytes(path: &Path, bytes: &[u8]) -> DiskStamp {
        let modified = quick_meta(path).and_then(|(_, m)| m);
        DiskStamp {
            hash: content_hash(bytes),
            len: bytes.len() as u64,
            modified,
        }
    }

    /// Reads `path` through the guarded reader (regular files only, at most the scenario
    /// size limit) and returns its text (invalid UTF-8 replaced) and stamp.
    pub fn read(path: &Path) -> Result<(String, DiskStamp), String> {
        let bytes = files::read_limited(path, MAX_FILE_BYTES).map_err(|e| e.to_string())?;
        let stamp = DiskStamp::of_bytes(path, &bytes);
        Ok((String::from_utf8_lossy(&bytes).into_owned(), stamp))
    }
}

/// What a check of the file found.
#[derive(Clone, Debug, PartialEq)]
pub enum DiskState {
    /// The content is what the stamp says.
    Same,
    /// The content differs: the text now on disk and its stamp.
    Changed { text: String, stamp: DiskStamp },
    /// The file cannot be read (removed, renamed, replaced by something that is not a
    /// regular file): why.
    Unreadable(String),
}

/// Compares the file at `path` with `known`. With `quick`, a file whose size and
/// modification time match the stamp is taken as unchanged without reading it (the check
/// made while the file is open); otherwise the content is read and hashed (the check before
/// a save). When only the time changed (the same bytes written again), `known` takes the new
/// time so that the next quick check is quick again.
pub fn check(path: &Path, known: &mut DiskStamp, quick: bool) -> DiskState {
    if quick
        && let Some((len, modified)) = quick_meta(path)
        && len == known.len
        && modified.is_some()
        && modified == known.modified
    {
        return DiskState::Same;
    }
    match DiskStamp::read(path) {
        Ok((text, stamp)) => {
            if stamp.hash == known.hash && stamp.len == known.len {
                known.modified = stamp.modified;
                DiskState::Same
            } else {
                DiskState::Changed { text, stamp }
            }
        }
        Err(e) => DiskState::Unreadable(e),
    }
}

/// One line of a line diff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiffLine {
    /// In both versions.
    Same(String),
    /// Only in the first (old) version.
    Removed(String),
    /// Only in the second (new) version.
    Added(String),
}

/// Above this many line pairs, the middle of two versions is shown as removed then added
/// instead of being aligned line by line (the alignment's table would be too large).
const MAX_ALIGN_CELLS: usize = 4_000_000;

/// The lines of `old` and `new` as a diff: common lines, lines only in `old`, lines only in
/// `new`, in order (a longest common subsequence of lines, after the common head and tail).
pub fn line_diff(old: &str, new: &str) -> Vec<DiffLine> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ma, mb) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    let mut out: Vec<DiffLine> = a[..head]
        .iter()
        .map(|l| DiffLine::Same((*l).to_string()))
        .collect();
    if ma.len().saturating_mul(mb.len()) > MAX_ALIGN_CELLS {
        out.extend(ma.iter().map(|l| DiffLine::Removed((*l).to_string())));
        out.extend(mb.iter().map(|l| DiffLine::Added((*l).to_string())));
    } else {
        // lcs[i][j]: the longest common subsequence of ma[i..] and mb[j..].
        let w = mb.len() + 1;
        let mut lcs = vec![0u32; (ma.len() + 1) * w];
        for i in (0..ma.len()).rev() {
            for j in (0..mb.len()).rev() {
                lcs[i * w + j] = if ma[i] == mb[j] {
                    lcs[(i + 1) * w + j + 1] + 1
                } else {
                    lcs[(i + 1) * w + j].max(lcs[i * w + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < ma.len() || j < mb.len() {
            if i < ma.len() && j < mb.len() && ma[i] == mb[j] {
                out.push(DiffLine::Same(ma[i].to_string()));
                i += 1;
                j += 1;
            } else if i < ma.len() && (j == mb.len() || lcs[(i + 1) * w + j] >= lcs[i * w + j + 1])
            {
                out.push(DiffLine::Removed(ma[i].to_string()));
                i += 1;
            } else {
                out.push(DiffLine::Added(mb[j].to_string()));
                j += 1;
            }
        }
    }
    out.extend(
        a[a.len() - tail..]
            .iter()
            .map(|l| DiffLine::Same((*l).to_string())),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_on_disk_is_found_by_content_and_a_rewrite_of_the_same_bytes_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.ron");
        std::fs::write(&p, "one\ntwo\n").unwrap();
        let (_, mut stamp) = DiskStamp::read(&p).unwrap();
        assert_eq!(check(&p, &mut stamp, true), DiskState::Same);
        assert_eq!(check(&p, &mut stamp, false), DiskState::Same);
        // The same bytes written again: only the time moves, which is not a change.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&p, "one\ntwo\n").unwrap();
        assert_eq!(check(&p, &mut stamp, true), DiskState::Same);
        // Another edit of the same size is found by its content.
        std::fs::write(&p, "one\nTWO\n").unwrap();
        match check(&p, &mut stamp, false) {
            DiskState::Changed { text, stamp: now } => {
                assert_eq!(text, "one\nTWO\n");
                assert_ne!(now.hash, stamp.hash);
            }
            other => panic!("expected a change, got {other:?}"),
        }
        std::fs::remove_file(&p).unwrap();
        assert!(matches!(
            check(&p, &mut stamp, true),
            DiskState::Unreadable(_)
        ));
    }

    #[test]
    fn the_line_diff_keeps_common_lines_and_marks_the_others() {
        let d = line_diff("a\nb\nc\nd\n", "a\nB\nc\nd\ne\n");
        assert_eq!(
            d,
            vec![
                DiffLine::Same("a".into()),
                DiffLine::Removed("b".into()),
                DiffLine::Added("B".into()),
                DiffLine::Same("c".into()),
                DiffLine::Same("d".into()),
                DiffLine::Added("e".into()),
            ]
        );
        assert!(
            line_diff("x\ny\n", "x\ny\n")
                .iter()
                .all(|l| matches!(l, DiffLine::Same(_)))
        );
    }
}
