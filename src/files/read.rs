//! Readers that cannot hang or flood: only regular files (or `-` for standard input) are
//! read, never more than a limit, and a FIFO, a device or a folder is refused at once with a
//! message that says what it is.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{file}: cannot read the file: {source}")]
    Io {
        file: String,
        #[source]
        source: io::Error,
    },
    /// Not a regular file: a folder, a FIFO, a device or a socket.
    #[error("{file}: {what}, not a regular file; give a file (or `-` to read standard input)")]
    NotAFile { file: String, what: &'static str },
    /// Over the size limit (read up to the limit, or known from the file's size).
    #[error("{file}: the file is {size} bytes; at most {limit} bytes are read")]
    TooLarge {
        file: String,
        size: String,
        limit: u64,
    },
}

/// The path that names standard input.
pub const STDIN: &str = "-";

/// True when `path` is `-`, standard input.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == STDIN
}

/// What a file of this type is, when it is not a regular file.
pub fn describe_type(ft: &std::fs::FileType) -> Option<&'static str> {
    if ft.is_file() {
        return None;
    }
    if ft.is_dir() {
        return Some("this is a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return Some("this is a named pipe (FIFO)");
        }
        if ft.is_char_device() || ft.is_block_device() {
            return Some("this is a device");
        }
        if ft.is_socket() {
            return Some("this is a socket");
        }
    }
    Some("this is not a regular file")
}

/// Opens `path` for reading if it is a regular file. The type is checked before opening, and
/// the file is opened without blocking (a FIFO swapped in between cannot hang the open), then
/// checked again on the open handle.
pub fn open_regular(path: &Path) -> Result<File, ReadError> {
    let file = path.display().to_string();
    let io = |source| ReadError::Io {
        file: file.clone(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if let Some(what) = describe_type(&meta.file_type()) {
        return Err(ReadError::NotAFile { file, what });
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let f = options.open(path).map_err(io)?;
    let meta = f.metadata().map_err(io)?;
    if let Some(what) = describe_type(&meta.file_type()) {
        return Err(ReadError::NotAFile { file, what });
    }
    Ok(f)
}

/// Reads all of `path` (or standard input for `-`), refusing anything that is not a regular
/// file and anything over `limit` bytes: a file's size is checked before reading, and reading
/// stops one byte past the limit whatever the size said (a growing file, standard input).
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let file = if is_stdin(path) {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    };
    let too_large = |size: String| ReadError::TooLarge {
        file: file.clone(),
        size,
        limit,
    };
    let source: Box<dyn Read> = if is_stdin(path) {
        Box::new(io::stdin().lock())
    } else {
        let f = open_regular(path)?;
        let size = f
            .metadata()
            .map_err(|source| ReadError::Io {
                file: file.clone(),
                source,
            })?
            .len();
        if size > limit {
            return Err(too_large(size.to_string()));
        }
        Box::new(f)
    };
    let mut bytes = Vec::new();
    source
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|source| ReadError::Io {
            file: file.clone(),
            source,
        })?;
    if bytes.len() as u64 > limit {
        return Err(too_large(format!("more than {limit}")));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_are_read_up_to_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.ron");
        std::fs::write(&p, b"12345").unwrap();
        assert_eq!(read_limited(&p, 5).unwrap(), b"12345");
        assert!(matches!(
            read_limited(&p, 4),
            Err(ReadError::TooLarge { .. })
        ));
        assert!(matches!(
            read_limited(dir.path(), 4),
            Err(ReadError::NotAFile { .. })
        ));
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_fifos_are_refused_at_once() {
        let start = std::time::Instant::now();
        for dev in ["/dev/zero", "/dev/urandom", "/dev/null"] {
            let e = read_limited(Path::new(dev), 1 << 20).unwrap_err();
            assert!(e.to_string().contains("device"), "{e}");
        }
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        let e = read_limited(&fifo, 1 << 20).unwrap_err();
        assert!(e.to_string().contains("named pipe (FIFO)"), "{e}");
        assert!(start.elapsed() < std::time::Duration::from_secs(2));
    }
}
