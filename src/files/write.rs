//! The one crash-safe writer of every output: a temporary file in the target's folder,
//! created with the target's permissions, written (or streamed), synced, then renamed over
//! the target, with earlier versions kept as backups. At every moment the target holds the
//! old or the new complete content; a failure removes the temporary file, and temporary
//! files that killed writers left are removed by the next write to the same folder.
//!
//! It writes through symbolic links (the link stays, its target is replaced), refuses to
//! replace a folder, a device or a socket, writes into a FIFO only while something reads it,
//! discards into `/dev/null`, keeps the owner where permitted, and refuses a read-only
//! target unless forced.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

/// Backups kept of a replaced file: `NAME.bak` (the newest), `NAME.bak2`, `NAME.bak3`.
pub const BACKUP_GENERATIONS: usize = 3;

/// The suffix of the writer's temporary files: `.NAME.PID-N.armistice-tmp`.
pub const TMP_SUFFIX: &str = ".armistice-tmp";

/// Temporary files older than this are removed even when their writer's process id is in use
/// again.
const STALE_AFTER: Duration = Duration::from_secs(24 * 3600);

/// Why an output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// Standard output (or the FIFO written into) was closed by its reader: not a failure
    /// for a command line tool (`armistice run -f csv | head -1`).
    #[error("the output was closed by its reader")]
    Closed,
    /// The target is something the writer does not replace.
    #[error("{file}: {reason}")]
    Refused { file: String, reason: String },
    #[error("{file}: cannot {action}: {source}")]
    Io {
        file: String,
        action: &'static str,
        #[source]
        source: io::Error,
    },
}

impl WriteError {
    fn io<'a>(file: &'a Path, action: &'static str) -> impl FnOnce(io::Error) -> WriteError + 'a {
        move |source| WriteError::Io {
            file: file.display().to_string(),
            action,
            source,
        }
    }

    /// True for a problem with the target the user named (exit code 2 on the command line).
    pub fn is_refusal(&self) -> bool {
        matches!(self, WriteError::Refused { .. })
    }
}

/// How to replace an existing file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WriteOptions {
    /// Backups to keep of a replaced file (0: none).
    pub backups: usize,
    /// Replace a read-only file too.
    pub force: bool,
}

impl Default for WriteOptions {
    fn default() -> Self {
        WriteOptions {
            backups: BACKUP_GENERATIONS,
            force: false,
        }
    }
}

/// The backup `generation` (1 = newest) of `path`: `NAME.bak`, `NAME.bak2`, ...
pub fn backup_path(path: &Path, generation: usize) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    if generation <= 1 {
        name.push(".bak");
    } else {
        name.push(format!(".bak{generation}"));
    }
    path.with_file_name(name)
}

/// Where a write to `path` really goes: through symbolic links to the file they name.
fn resolve(path: &Path) -> Result<PathBuf, WriteError> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = fs::read_link(&p).map_err(WriteError::io(path, "follow the link"))?;
                p = match p.parent() {
                    Some(dir) if link.is_relative() => dir.join(link),
                    _ => link,
                };
            }
            _ => return Ok(p),
        }
    }
    Err(WriteError::Refused {
        file: path.display().to_string(),
        reason: "too many levels of symbolic links".into(),
    })
}

fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A file being written: the temporary file, renamed over the target by [`AtomicFile::commit`].
/// Dropped without a commit, it removes its temporary file.
pub struct AtomicFile {
    /// The path the user named (for messages).
    named: PathBuf,
    /// The file replaced (the named path with links followed).
    target: PathBuf,
    tmp: PathBuf,
    out: Option<BufWriter<File>>,
    existed: bool,
    options: WriteOptions,
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

impl AtomicFile {
    /// Checks the target and creates the temporary file next to it, with the target's
    /// permissions (a new file gets the usual ones). Nothing is replaced yet.
    pub fn create(path: &Path, options: WriteOptions) -> Result<AtomicFile, WriteError> {
        let target = resolve(path)?;
        let refuse = |reason: String| WriteError::Refused {
            file: path.display().to_string(),
            reason,
        };
        let existing = match fs::metadata(&target) {
            Ok(m) => Some(m),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(WriteError::io(path, "inspect the file")(e)),
        };
        if let Some(m) = &existing {
            if let Some(what) = super::read::describe_type(&m.file_type()) {
                return Err(refuse(format!(
                    "{what}; only regular files are replaced (use `-o -` to write to standard output)"
                )));
            }
            if m.permissions().readonly() && !options.force {
                return Err(refuse(
                    "the file is read-only; make it writable or give --force to replace it".into(),
                ));
            }
        }
        first_write();
        let dir = folder_of(&target);
        if !dir.is_dir() {
            return Err(refuse(format!(
                "the folder {} does not exist",
                dir.display()
            )));
        }
        remove_stale_temporaries(&dir);
        let base = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "output".into());
        let mut open = fs::OpenOptions::new();
        open.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
            // The target's permissions from the first byte: a 0600 file is never copied into
            // a file others can read.
            let mode = existing
                .as_ref()
                .map_or(0o666, |m| m.permissions().mode() & 0o7777);
            open.mode(mode);
        }
        // A fresh name: a file left by an earlier process with the same id is not ours.
        let (tmp, file) = loop {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let tmp = dir.join(format!(".{base}.{}-{n}{TMP_SUFFIX}", std::process::id()));
            match open.open(&tmp) {
                Ok(f) => break (tmp, f),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 1_000_000 => {}
                Err(e) => {
                    return Err(WriteError::io(path, "create a temporary file next to it")(
                        e,
                    ));
                }
            }
        };
        let mut me = AtomicFile {
            named: path.to_path_buf(),
            target,
            tmp,
            out: None,
            existed: existing.is_some(),
            options,
        };
        #[cfg(unix)]
        if let Some(m) = &existing {
            use std::os::unix::fs::{MetadataExt, PermissionsExt};
            // Exactly the target's mode (the umask may have removed bits), and its owner and
            // group where this user may give them.
            file.set_permissions(fs::Permissions::from_mode(m.mode() & 0o7777))
                .map_err(WriteError::io(&me.tmp, "set the permissions"))?;
            if std::os::unix::fs::fchown(&file, Some(m.uid()), Some(m.gid())).is_err() {
                let _ = std::os::unix::fs::fchown(&file, None, Some(m.gid()));
            }
        }
        me.out = Some(BufWriter::with_capacity(1 << 16, file));
        Ok(me)
    }

    /// The path the user named.
    pub fn path(&self) -> &Path {
        &self.named
    }

    /// Flushes and syncs the new content, keeps the old file as the newest backup, renames
    /// the new file over the target, then shifts the older backups (so an older backup is
    /// replaced only once the new file is in place) and syncs the folder.
    pub fn commit(mut self) -> Result<(), WriteError> {
        let Some(out) = self.out.take() else {
            return Err(WriteError::io(&self.named, "write")(io::Error::other(
                "the file was already written",
            )));
        };
        let file = out
            .into_inner()
            .map_err(|e| WriteError::io(&self.named, "write")(e.into_error()))?;
        file.sync_all()
            .map_err(WriteError::io(&self.named, "write"))?;
        drop(file);
        let keep = self.existed && self.options.backups > 0;
        let staged = self.tmp.with_extension("bak-armistice-tmp");
        if keep {
            // The old content under a temporary name: a hard link where the file system has
            // them (instant, exact), a copy elsewhere.
            if fs::hard_link(&self.target, &staged).is_err() {
                fs::copy(&self.target, &staged)
                    .map_err(WriteError::io(&self.named, "keep a backup"))?;
            }
        }
        let renamed = fs::rename(&self.tmp, &self.target);
        if let Err(e) = renamed {
            let _ = fs::remove_file(&staged);
            return Err(WriteError::io(&self.named, "replace the file")(e));
        }
        if keep {
            for g in (1..self.options.backups).rev() {
                let from = backup_path(&self.target, g);
                if from.exists() {
                    let _ = fs::rename(&from, backup_path(&self.target, g + 1));
                }
            }
            if fs::rename(&staged, backup_path(&self.target, 1)).is_err() {
                let _ = fs::remove_file(&staged);
            }
        }
        if let Ok(d) = File::open(folder_of(&self.target)) {
            // Make the rename durable; not every platform can sync a folder.
            let _ = d.sync_all();
        }
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.out {
            Some(o) => o.write(buf),
            None => Err(io::Error::other("the file was already written")),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.out {
            Some(o) => o.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.out.take().is_some() {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

/// Process id embedded in a temporary file name of this writer (or of earlier versions:
/// `.NAME.PID.tmp`, `.NAME.PID.bak.tmp`, `NAME.tmp-PID`), if the name is one.
fn temporary_owner(name: &str) -> Option<u32> {
    if let Some(rest) = name
        .strip_suffix(TMP_SUFFIX)
        .or_else(|| name.strip_suffix(".bak-armistice-tmp"))
        && name.starts_with('.')
    {
        let id = rest.rsplit('.').next()?;
        return id.split('-').next()?.parse().ok();
    }
    if name.starts_with('.')
        && let Some(rest) = name
            .strip_suffix(".bak.tmp")
            .or_else(|| name.strip_suffix(".tmp"))
    {
        return rest.rsplit('.').next()?.parse().ok();
    }
    let (_, pid) = name.rsplit_once(".tmp-")?;
    pid.parse().ok()
}

/// True while process `pid` runs. Where this cannot be known, only this process counts.
fn process_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    cfg!(target_os = "linux") && Path::new(&format!("/proc/{pid}")).exists()
}

/// When this process first wrote a file (its temporary files are all younger).
fn first_write() -> SystemTime {
    static FIRST: std::sync::OnceLock<SystemTime> = std::sync::OnceLock::new();
    *FIRST.get_or_init(SystemTime::now)
}

/// Removes, from `dir`, the temporary files of writers that were killed: their process has
/// ended, or they are older than a day.
pub fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = temporary_owner(&name) else {
            continue;
        };
        let Ok(meta) = entry.metadata() else { continue };
        if !meta.is_file() {
            continue;
        }
        let old = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|age| age > STALE_AFTER);
        // A file with this process's id but older than its first write was left by an
        // earlier process that had the same id.
        let earlier = meta
            .modified()
            .ok()
            .is_some_and(|m| m + Duration::from_secs(2) < first_write());
        let mine = pid == std::process::id() && !earlier;
        if !mine && (old || earlier || !process_alive(pid)) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Writes `bytes` to `path` crash-safely (see the module documentation).
pub fn write_file(path: &Path, bytes: &[u8], options: WriteOptions) -> Result<(), WriteError> {
    let mut f = AtomicFile::create(path, options)?;
    f.write_all(bytes).map_err(WriteError::io(path, "write"))?;
    f.commit()
}

#[cfg(test)]
#[cfg(unix)]
mod tests {
    use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};

    use super::*;

    fn leftovers(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("tmp"))
            .collect()
    }

    fn mode(p: &Path) -> u32 {
        fs::metadata(p).unwrap().mode() & 0o777
    }

    #[test]
    fn replaces_through_links_keeping_mode_and_generations_of_backups() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.ron");
        let link = dir.path().join("link.ron");
        fs::write(&real, "v1").unwrap();
        fs::set_permissions(&real, fs::Permissions::from_mode(0o600)).unwrap();
        symlink("real.ron", &link).unwrap();
        for v in ["v2", "v3", "v4", "v5"] {
            write_file(&link, v.as_bytes(), WriteOptions::default()).unwrap();
        }
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&real).unwrap(), "v5");
        assert_eq!(mode(&real), 0o600);
        assert_eq!(fs::read_to_string(backup_path(&real, 1)).unwrap(), "v4");
        assert_eq!(fs::read_to_string(backup_path(&real, 2)).unwrap(), "v3");
        assert_eq!(fs::read_to_string(backup_path(&real, 3)).unwrap(), "v2");
        assert!(!backup_path(&real, 4).exists());
        assert_eq!(mode(&backup_path(&real, 1)), 0o600);
        assert!(
            leftovers(dir.path()).is_empty(),
            "{:?}",
            leftovers(dir.path())
        );
    }

    #[test]
    fn the_temporary_file_has_the_targets_mode_from_the_start_and_goes_on_failure() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("secret.csv");
        fs::write(&p, "old").unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o600)).unwrap();
        let f = AtomicFile::create(&p, WriteOptions::default()).unwrap();
        let tmp = leftovers(dir.path());
        assert_eq!(tmp.len(), 1);
        assert_eq!(mode(&dir.path().join(&tmp[0])), 0o600);
        drop(f);
        assert!(leftovers(dir.path()).is_empty());
        assert_eq!(fs::read_to_string(&p).unwrap(), "old");
    }

    #[test]
    fn folders_devices_and_read_only_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let e = write_file(dir.path(), b"x", WriteOptions::default()).unwrap_err();
        assert!(e.to_string().contains("folder"), "{e}");
        let e = write_file(Path::new("/dev/zero"), b"x", WriteOptions::default()).unwrap_err();
        assert!(e.is_refusal() && e.to_string().contains("device"), "{e}");
        let ro = dir.path().join("ro.ron");
        fs::write(&ro, "old").unwrap();
        fs::set_permissions(&ro, fs::Permissions::from_mode(0o444)).unwrap();
        let e = write_file(&ro, b"new", WriteOptions::default()).unwrap_err();
        assert!(e.to_string().contains("--force"), "{e}");
        assert_eq!(fs::read_to_string(&ro).unwrap(), "old");
        let forced = WriteOptions {
            force: true,
            ..WriteOptions::default()
        };
        write_file(&ro, b"new", forced).unwrap();
        assert_eq!(fs::read_to_string(&ro).unwrap(), "new");
        assert_eq!(mode(&ro), 0o444);
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn stale_temporaries_of_ended_writers_are_removed_and_others_kept() {
        let dir = tempfile::tempdir().unwrap();
        let dead = format!(".a.ron.{}-0{TMP_SUFFIX}", u32::MAX - 3);
        let legacy = format!(".a.ron.{}.tmp", u32::MAX - 3);
        let merge = format!("out.csv.tmp-{}", u32::MAX - 3);
        let live = format!(".a.ron.{}-{}{TMP_SUFFIX}", std::process::id(), u64::MAX);
        // Left by an earlier process with this process's id: older than this process's writes.
        let reused = format!(".a.ron.{}-3{TMP_SUFFIX}", std::process::id());
        for n in [
            &dead,
            &legacy,
            &merge,
            &live,
            &reused,
            &"notes.tmp".to_string(),
        ] {
            fs::write(dir.path().join(n), "x").unwrap();
        }
        fs::File::options()
            .write(true)
            .open(dir.path().join(&reused))
            .unwrap()
            .set_modified(SystemTime::now() - Duration::from_secs(3600))
            .unwrap();
        write_file(&dir.path().join("a.ron"), b"x", WriteOptions::default()).unwrap();
        let mut left = leftovers(dir.path());
        left.sort();
        let mut expected = vec![live, "notes.tmp".to_string()];
        expected.sort();
        assert_eq!(left, expected);
    }

    #[test]
    fn ownership_is_kept_where_permitted() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("owned.ron");
        fs::write(&p, "old").unwrap();
        let before = fs::metadata(&p).unwrap();
        write_file(&p, b"new", WriteOptions::default()).unwrap();
        let after = fs::metadata(&p).unwrap();
        assert_eq!((before.uid(), before.gid()), (after.uid(), after.gid()));
        if before.uid() == 0 {
            // As root, a file of another user stays that user's.
            std::os::unix::fs::chown(&p, Some(12345), Some(12345)).unwrap();
            write_file(&p, b"newer", WriteOptions::default()).unwrap();
            let m = fs::metadata(&p).unwrap();
            assert_eq!((m.uid(), m.gid()), (12345, 12345));
        }
    }
}
