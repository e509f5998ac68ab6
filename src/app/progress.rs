//! What a profile has done that no run shows (that the script was read on the first day), kept per profile in a small file beside the sound settings.
//!
//! The file is its own, so the sound settings are never rewritten for it; and a file that cannot
//! be read is left as it is rather than replaced with this profile's entry alone.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file each profile's progress is kept in, per profile name (as the sound settings are).
/// Without it the progress lasts the session.
#[derive(bevy::prelude::Resource, Debug, Clone)]
pub struct ProgressFile(pub PathBuf);

/// One profile's progress that no run shows. New fields default, so older files keep loading.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Kept {
    /// The script of the role has been opened (the first step of the first day).
    pub script_read: bool,
}

/// The progress of every profile in the file: none when the file is missing; an error when it is
/// there and cannot be read.
pub fn read_progress_file(path: &Path) -> Result<BTreeMap<String, Kept>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    crate::domain::parse::ron_options().from_str(&text).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// One profile's progress as kept (the default when the file is missing, unreadable or silent).
pub fn kept(path: &Path, name: &str) -> Kept {
    read_progress_file(path).ok().and_then(|all| all.get(name).copied()).unwrap_or_default()
}

/// Stores one profile's progress, keeping the others; written beside and renamed into place. A
/// file that cannot be read is not replaced.
pub fn write_progress(path: &Path, name: &str, progress: Kept) -> Result<(), String> {
    let mut all = read_progress_file(path)?;
    all.insert(name.to_owned(), progress);
    let text = ron::ser::to_string_pretty(&all, ron::ser::PrettyConfig::new()).map_err(|e| e.to_string())?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let tmp = path.with_extension("ron.tmp");
    std::fs::write(&tmp, text)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("callforge-progress-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        d
    }

    #[test]
    fn each_profile_is_kept_beside_the_others() {
        let path = dir("keep").join("progress.ron");
        assert_eq!(kept(&path, "Ольга"), Kept::default(), "a missing file knows nothing");
        write_progress(&path, "Ольга", Kept { script_read: true }).expect("written");
        write_progress(&path, "Olga", Kept::default()).expect("written");
        assert!(kept(&path, "Ольга").script_read);
        assert!(!kept(&path, "Olga").script_read);
        assert_eq!(read_progress_file(&path).expect("reads").len(), 2);
    }

    #[test]
    fn a_file_that_cannot_be_read_is_never_replaced() {
        let d = dir("broken");
        std::fs::create_dir_all(&d).expect("dir");
        let path = d.join("progress.ron");
        std::fs::write(&path, "{\"Anna\": (script_read: tru").expect("broken file");
        assert!(write_progress(&path, "Olga", Kept { script_read: true }).is_err());
        assert_eq!(std::fs::read_to_string(&path).expect("still there"), "{\"Anna\": (script_read: tru");
        assert_eq!(kept(&path, "Olga"), Kept::default());
    }

    #[test]
    fn an_older_entry_without_a_field_still_loads() {
        let d = dir("old");
        std::fs::create_dir_all(&d).expect("dir");
        let path = d.join("progress.ron");
        std::fs::write(&path, "{\"Anna\": ()}").expect("file");
        assert_eq!(read_progress_file(&path).expect("reads").get("Anna"), Some(&Kept::default()));
    }
}
