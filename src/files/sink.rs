//! Where a command's output goes: standard output (`-`, `/dev/stdout`, or no `-o`), into
//! `/dev/null` or a FIFO that something reads, or a file written crash-safely through
//! [`super::write::AtomicFile`]. A sink is opened before the work starts, so a target that
//! cannot be written is refused at once rather than after a long run, and output streams into
//! it as it is formatted.

use std::fs::File;
use std::io::{self, BufWriter, Stdout, Write};
use std::path::{Path, PathBuf};

use super::write::{AtomicFile, WriteError, WriteOptions};

/// An open output.
pub struct Sink {
    to: To,
    /// Set when a write found the reader gone (formatters may wrap the error and lose its
    /// kind; the sink remembers it).
    closed: bool,
}

enum To {
    /// Standard output.
    Stdout(BufWriter<Stdout>),
    /// A device or FIFO written into as it is (`/dev/null`, a pipe someone reads).
    Into(BufWriter<File>, PathBuf),
    /// A regular file, replaced when the sink is finished.
    File(AtomicFile),
}

/// True for the names of standard output: `-`, `/dev/stdout`, `/dev/fd/1`, `/proc/self/fd/1`.
pub fn is_stdout(path: &Path) -> bool {
    ["-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"]
        .iter()
        .any(|s| path.as_os_str() == *s)
}

impl Sink {
    /// Opens `out` (standard output when `None`).
    pub fn open(out: Option<&Path>, options: WriteOptions) -> Result<Sink, WriteError> {
        let to = match out.filter(|p| !is_stdout(p)) {
            None => To::Stdout(BufWriter::with_capacity(1 << 16, io::stdout())),
            Some(path) => match open_special(path)? {
                Some(to) => to,
                None => To::File(AtomicFile::create(path, options)?),
            },
        };
        Ok(Sink { to, closed: false })
    }

    /// Flushes the output and, for a file, puts it in place.
    pub fn finish(self) -> Result<(), WriteError> {
        match self.to {
            To::Stdout(mut w) => w.flush().map_err(|e| fail(e, Path::new("<stdout>"))),
            To::Into(mut w, p) => w.flush().map_err(|e| fail(e, &p)),
            To::File(f) => f.commit(),
        }
    }

    /// The error to report for a failed write into this sink: a reader that went away is
    /// [`WriteError::Closed`].
    pub fn error(&self, e: io::Error) -> WriteError {
        if self.closed {
            return WriteError::Closed;
        }
        match &self.to {
            To::Stdout(_) => fail(e, Path::new("<stdout>")),
            To::Into(_, p) => fail(e, p),
            To::File(f) => WriteError::Io {
                file: f.path().display().to_string(),
                action: "write",
                source: e,
            },
        }
    }
}

fn fail(e: io::Error, path: &Path) -> WriteError {
    if e.kind() == io::ErrorKind::BrokenPipe {
        WriteError::Closed
    } else {
        WriteError::Io {
            file: if path.as_os_str() == "<stdout>" {
                "standard output".into()
            } else {
                path.display().to_string()
            },
            action: "write",
            source: e,
        }
    }
}

/// `/dev/null` (any path to the null device) and FIFOs: written into, never replaced. A FIFO
/// that nobody reads is refused at once instead of waiting for a reader.
#[cfg(unix)]
fn open_special(path: &Path) -> Result<Option<To>, WriteError> {
    use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt};
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(None);
    };
    let ft = meta.file_type();
    let refuse = |reason: &str| WriteError::Refused {
        file: path.display().to_string(),
        reason: reason.to_string(),
    };
    let io = |action| {
        move |source| WriteError::Io {
            file: path.display().to_string(),
            action,
            source,
        }
    };
    if ft.is_char_device() {
        let null = std::fs::metadata("/dev/null").map(|m| m.rdev()).ok();
        if null == Some(meta.rdev()) {
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(io("open"))?;
            return Ok(Some(To::Into(BufWriter::new(f), path.to_path_buf())));
        }
        return Ok(None); // refused by the file writer, with its message
    }
    if ft.is_fifo() {
        let f = std::fs::OpenOptions::new()
            .write(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(path)
            .map_err(|e| {
                if e.raw_os_error() == Some(libc::ENXIO) {
                    refuse("this is a named pipe (FIFO) that nothing reads from; start the reader first, or use `-o -`")
                } else {
                    io("open")(e)
                }
            })?;
        // A reader is there: open again blocking (writes wait for the reader as usual), while
        // the first handle keeps the pipe open.
        let blocking = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(io("open"))?;
        drop(f);
        return Ok(Some(To::Into(BufWriter::new(blocking), path.to_path_buf())));
    }
    Ok(None)
}

#[cfg(not(unix))]
fn open_special(_path: &Path) -> Result<Option<To>, WriteError> {
    Ok(None)
}

impl Sink {
    fn writer(&mut self) -> &mut dyn Write {
        match &mut self.to {
            To::Stdout(w) => w,
            To::Into(w, _) => w,
            To::File(f) => f,
        }
    }

    fn note<T>(&mut self, r: io::Result<T>) -> io::Result<T> {
        if let Err(e) = &r
            && e.kind() == io::ErrorKind::BrokenPipe
        {
            self.closed = true;
        }
        r
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let r = self.writer().write(buf);
        self.note(r)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        let r = self.writer().write_all(buf);
        self.note(r)
    }

    fn flush(&mut self) -> io::Result<()> {
        let r = self.writer().flush();
        self.note(r)
    }
}

#[cfg(test)]
#[cfg(unix)]
mod tests {
    use super::*;

    #[test]
    fn dev_null_is_written_into_and_a_fifo_without_reader_is_refused_at_once() {
        let mut s = Sink::open(Some(Path::new("/dev/null")), WriteOptions::default()).unwrap();
        s.write_all(b"discarded").unwrap();
        s.finish().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        let start = std::time::Instant::now();
        let e = Sink::open(Some(&fifo), WriteOptions::default())
            .err()
            .unwrap();
        assert!(e.to_string().contains("nothing reads"), "{e}");
        assert!(start.elapsed() < std::time::Duration::from_secs(1));
        assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    }

    use std::os::unix::fs::FileTypeExt;
}
