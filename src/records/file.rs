//! The file behind an SQLite connection: whether it is still the one at its path, whether it
//! changed under a lock-free reader, who may write it and its folder, and what a refusal by SQLite
//! means in those terms.

use super::RecordsError;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The name SQLite gives a database that lives in memory only.
pub(super) const MEMORY: &str = ":memory:";

/// Which file a path named, as the system tells files apart (device and inode on Unix).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileId {
    dev: u64,
    ino: u64,
}

#[cfg(unix)]
fn file_id(m: &std::fs::Metadata) -> Option<FileId> {
    use std::os::unix::fs::MetadataExt;
    Some(FileId { dev: m.dev(), ino: m.ino() })
}

#[cfg(not(unix))]
fn file_id(_: &std::fs::Metadata) -> Option<FileId> {
    None
}

/// What changes when anyone writes a file.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stamp {
    id: Option<FileId>,
    len: u64,
    modified: Option<SystemTime>,
}

fn stamp(m: &std::fs::Metadata) -> Stamp {
    Stamp { id: file_id(m), len: m.len(), modified: m.modified().ok() }
}

/// The database file an SQLite connection has open.
#[derive(Debug)]
pub(super) struct DbFile {
    path: PathBuf,
    shown: String,
    id: Option<FileId>,
    /// For a connection that reads without locks: the file as it was when opened.
    frozen: Option<Stamp>,
    /// An in-memory database (`:memory:`, the demo's): there is no file to watch.
    memory: bool,
}

impl DbFile {
    /// Notes which file the connection has open; `frozen` for one opened without locks.
    pub fn new(path: &Path, frozen: bool) -> Result<DbFile, RecordsError> {
        let shown = path.display().to_string();
        let m = std::fs::metadata(path)
            .map_err(|source| RecordsError::Io { context: format!("cannot read {shown}"), source })?;
        Ok(DbFile { path: path.to_owned(), id: file_id(&m), frozen: frozen.then(|| stamp(&m)), shown, memory: false })
    }

    /// For an in-memory database, which has no file.
    pub fn in_memory() -> DbFile {
        DbFile { path: PathBuf::new(), shown: MEMORY.to_owned(), id: None, frozen: None, memory: true }
    }

    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// Fails when the file at the path is no longer the one the connection writes to: deleted,
    /// moved away or replaced. Checked before and after every write transaction.
    pub fn check_same(&self) -> Result<(), RecordsError> {
        if self.memory {
            return Ok(());
        }
        match std::fs::metadata(&self.path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Err(RecordsError::FileGone { path: self.shown.clone() })
            }
            Err(source) => Err(RecordsError::Io { context: format!("cannot read {}", self.shown), source }),
            Ok(m) if self.id.is_some() && file_id(&m) != self.id => {
                Err(RecordsError::FileReplaced { path: self.shown.clone() })
            }
            Ok(_) => Ok(()),
        }
    }

    /// For a reader without locks: fails when anyone wrote the file since it was opened.
    pub fn check_unchanged(&self) -> Result<(), RecordsError> {
        let Some(then) = &self.frozen else { return Ok(()) };
        match std::fs::metadata(&self.path) {
            Ok(m) if stamp(&m) == *then => Ok(()),
            _ => Err(RecordsError::ChangedWhileReading { path: self.shown.clone() }),
        }
    }

    /// An SQLite error in the user's terms: a full disk, a read-only folder, files beside the
    /// database that belong to someone else, a file that was deleted or replaced.
    pub fn explain(&self, e: rusqlite::Error) -> RecordsError {
        use rusqlite::ErrorCode;
        let code = match &e {
            rusqlite::Error::SqliteFailure(code, _) => code.code,
            _ => return RecordsError::Sqlite(e),
        };
        match code {
            ErrorCode::DiskFull => RecordsError::Full { path: self.shown.clone() },
            ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied if !self.memory => {
                if let Err(moved) = self.check_same() {
                    return moved;
                }
                why_not_writable(&self.path).unwrap_or_else(|| {
                    if code == ErrorCode::ReadOnly {
                        RecordsError::ReadOnly { what: self.shown.clone() }
                    } else {
                        RecordsError::Sqlite(e)
                    }
                })
            }
            ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase => {
                RecordsError::Corrupt { path: self.shown.clone(), detail: e.to_string() }
            }
            _ => RecordsError::Sqlite(e),
        }
    }
}

/// The folder a database file lives in.
pub(super) fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// Whether this user may write a file (for a folder: create files in it). Mode bits that forbid
/// writing to everyone count even for an administrator, who the system would let through.
pub(super) fn may_write(path: &Path, folder: bool) -> bool {
    let Ok(m) = std::fs::metadata(path) else { return false };
    if m.permissions().readonly() {
        return false;
    }
    #[cfg(unix)]
    {
        use rustix::fs::Access;
        let need = if folder { Access::WRITE_OK | Access::EXEC_OK } else { Access::WRITE_OK };
        rustix::fs::access(path, need).is_ok()
    }
    #[cfg(not(unix))]
    {
        let _ = folder;
        true
    }
}

/// The `-wal` and `-shm` files SQLite keeps beside a database in WAL mode.
pub(super) fn sidecars(path: &Path) -> [PathBuf; 2] {
    let with = |suffix: &str| {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        PathBuf::from(p)
    };
    [with("-wal"), with("-shm")]
}

/// Why this user cannot write the database, when the files say so: its folder is read-only, the
/// `-wal`/`-shm` files beside it belong to someone else, or the file itself is read-only.
pub(super) fn why_not_writable(path: &Path) -> Option<RecordsError> {
    let shown = path.display().to_string();
    let folder = folder_of(path);
    if !may_write(&folder, true) {
        return Some(RecordsError::ReadOnlyFolder { path: shown, folder: folder.display().to_string() });
    }
    if let Some(locked) = locked_sidecars(path) {
        return Some(locked);
    }
    (!may_write(path, false)).then_some(RecordsError::ReadOnly { what: shown })
}

/// `-wal`/`-shm` files this user cannot write, with what to do about them.
pub(super) fn locked_sidecars(path: &Path) -> Option<RecordsError> {
    let locked: Vec<(PathBuf, std::fs::Metadata)> = sidecars(path)
        .into_iter()
        .filter_map(|p| {
            let m = std::fs::metadata(&p).ok()?;
            let writable = std::fs::OpenOptions::new().read(true).write(true).open(&p).is_ok() && may_write(&p, false);
            (!writable).then_some((p, m))
        })
        .collect();
    if locked.is_empty() {
        return None;
    }
    let names: Vec<String> = locked.iter().map(|(p, _)| p.display().to_string()).collect();
    let (files, rm) = (names.join(" and "), names.join(" "));
    let owner = owner_of(&locked[0].1);
    let [wal, _] = sidecars(path);
    let wal_empty = std::fs::metadata(&wal).map_or(true, |m| m.len() == 0);
    let advice = if wal_empty {
        format!(
            "They hold no records (the -wal file is empty): when no one is using the database, delete \
             them (rm {rm}) and run the command again; or ask {owner} or an administrator to let you \
             write them (chmod g+w, with a shared group)"
        )
    } else {
        format!(
            "The -wal file holds changes not yet written into the database, so do not delete it: ask \
             {owner} to run any callforge command on the database once (it folds the changes in and \
             removes the files), or an administrator to let you write them (chmod g+w, with a shared group)"
        )
    };
    Some(RecordsError::SidecarsLocked { path: path.display().to_string(), files, owner, advice })
}

#[cfg(unix)]
fn owner_of(m: &std::fs::Metadata) -> String {
    use std::os::unix::fs::MetadataExt;
    format!("user {}", m.uid())
}

#[cfg(not(unix))]
fn owner_of(_: &std::fs::Metadata) -> String {
    "another user".to_owned()
}

/// An SQLite URI that opens a file read-only; `immutable` also tells SQLite that nobody writes it,
/// so it takes no locks and creates no `-wal`/`-shm` files (see `DbFile::check_unchanged`).
pub(super) fn read_only_uri(path: &Path, immutable: bool) -> Result<String, RecordsError> {
    let abs = std::path::absolute(path)
        .map_err(|source| RecordsError::Io { context: format!("cannot read {}", path.display()), source })?;
    let mut uri = String::from("file://");
    let bytes = abs.as_os_str().as_encoded_bytes();
    if bytes.first() != Some(&b'/') {
        uri.push('/');
    }
    for &b in bytes {
        match b {
            b'\\' if cfg!(windows) => uri.push('/'),
            b if b.is_ascii_alphanumeric() || b"/-_.~:".contains(&b) => uri.push(char::from(b)),
            b => uri.push_str(&format!("%{b:02X}")),
        }
    }
    uri.push_str("?mode=ro");
    if immutable {
        uri.push_str("&immutable=1");
    }
    Ok(uri)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_escape_what_sqlite_would_read_as_syntax() {
        let uri = read_only_uri(Path::new("/tmp/a b/r?x#1%.db"), true).expect("uri");
        assert_eq!(uri, "file:///tmp/a%20b/r%3Fx%231%25.db?mode=ro&immutable=1");
        let uri = read_only_uri(Path::new("/srv/записи.db"), false).expect("uri");
        assert!(uri.starts_with("file:///srv/%D0%B7") && uri.ends_with(".db?mode=ro"), "{uri}");
    }

    #[test]
    fn sidecars_sit_beside_the_database() {
        let [wal, shm] = sidecars(Path::new("dir/records.db"));
        assert_eq!((wal, shm), (PathBuf::from("dir/records.db-wal"), PathBuf::from("dir/records.db-shm")));
        assert_eq!(folder_of(Path::new("records.db")), PathBuf::from("."));
    }
}
