//! The architecture invariants of ARCHITECTURE.md, checked on the source: which room may import which.

use std::path::{Path, PathBuf};

/// A room of `src/` and what its code must never name.
struct Room {
    dir: &'static str,
    forbidden: &'static [&'static str],
}

/// Data flows files → domain → records → report → {cli, app}; the shells never import each other,
/// and the domain knows nothing of Bevy, SQL, the network or the terminal.
const ROOMS: &[Room] = &[
    Room {
        dir: "domain",
        forbidden: &[
            "records",
            "report",
            "cli",
            "app",
            "clock",
            "bevy",
            "bevy_kira_audio",
            "rusqlite",
            "postgres",
            "ureq",
            "maud",
            "csv",
            "rpassword",
            "directories",
            "println!",
            "eprintln!",
            "print!",
            "stdin",
            "stdout",
            "stderr",
            "IsTerminal",
        ],
    },
    Room { dir: "records", forbidden: &["report", "cli", "app", "bevy", "println!", "eprintln!", "print!"] },
    Room { dir: "report", forbidden: &["cli", "app", "bevy", "println!", "eprintln!", "print!"] },
    Room { dir: "cli", forbidden: &["app", "bevy", "bevy_kira_audio"] },
    Room { dir: "app", forbidden: &["cli"] },
];

/// Every `.rs` file under a folder.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read a source folder") {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The places in a file's code (comments left out) that name a forbidden room or crate: in a path
/// from the crate root or a parent (`crate::cli`, `callforge::records`, `super::super::app`), in a
/// `use` list (`use super::{app, …}`), as a path's first segment (`bevy::prelude`), or as a macro
/// or item name (`println!`, `IsTerminal`).
fn violations(text: &str, forbidden: &[&str]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.split("//").next().unwrap_or("");
        for name in forbidden {
            if names(line, name) {
                out.push((n + 1, format!("{name}: {}", raw.trim())));
            }
        }
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether one line of code names `name` in one of the ways [`violations`] looks for.
fn names(line: &str, name: &str) -> bool {
    let (word, macro_call) = match name.strip_suffix('!') {
        Some(w) => (w, true),
        None => (name, false),
    };
    let anywhere = macro_call || word.starts_with(char::is_uppercase) || matches!(word, "stdin" | "stdout" | "stderr");
    line.match_indices(word).any(|(i, _)| {
        let before = &line[..i];
        let after = &line[i + word.len()..];
        if before.ends_with(is_ident) || after.starts_with(is_ident) {
            return false;
        }
        if macro_call {
            return after.starts_with('!');
        }
        if anywhere {
            return true;
        }
        if let Some(chain) = before.strip_suffix("::") {
            return from_root(chain);
        }
        if let Some(open) = before.rfind('{')
            && before[open..].chars().all(|c| is_ident(c) || ", {:".contains(c))
            && let Some(chain) = before[..open].strip_suffix("::")
        {
            return from_root(chain);
        }
        after.starts_with("::")
    })
}

/// Whether a path prefix (the text before `::name`) starts at the crate root or climbs to a parent:
/// only `crate`, `callforge` and `super` segments.
fn from_root(chain: &str) -> bool {
    let start = chain.rfind(|c: char| !(is_ident(c) || c == ':')).map_or(0, |i| i + 1);
    let segments: Vec<&str> = chain[start..].split("::").collect();
    !segments.is_empty() && segments.iter().all(|s| matches!(*s, "crate" | "callforge" | "super"))
}

#[test]
fn every_room_keeps_to_its_imports() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut problems = Vec::new();
    for room in ROOMS {
        let files = rust_files(&src.join(room.dir));
        assert!(!files.is_empty(), "src/{} has no Rust files: the room moved, update this test", room.dir);
        for file in files {
            let text = std::fs::read_to_string(&file).expect("read a source file");
            for (line, what) in violations(&text, room.forbidden) {
                problems.push(format!("{}:{line}: src/{} must not use {what}", file.display(), room.dir));
            }
        }
    }
    assert!(problems.is_empty(), "architecture invariants broken:\n{}", problems.join("\n"));
}

#[test]
fn the_checker_sees_each_kind_of_import() {
    let cases = [
        ("use crate::cli::fresh_seed;", "cli"),
        ("    let s = crate::cli::fresh_seed();", "cli"),
        ("use super::super::app::Screen;", "app"),
        ("use super::{app, model};", "app"),
        ("use bevy::prelude::*;", "bevy"),
        ("let c = rusqlite::Connection::open(p);", "rusqlite"),
        ("    println!(\"{x}\");", "println!"),
        ("use callforge::records::Records;", "records"),
    ];
    for (line, name) in cases {
        assert_eq!(violations(line, &[name]).len(), 1, "{line:?} names {name}");
    }
    let clean = [
        ("use super::ladder::{self, RunFact};", "app"),
        ("// crate::cli is never imported here", "cli"),
        ("use crate::domain::model::Role;", "records"),
        ("let app_name = \"x\";", "app"),
        ("fn report_text() {}", "report"),
        ("use bevy_kira_audio::prelude::*;", "bevy"),
    ];
    for (line, name) in clean {
        assert!(violations(line, &[name]).is_empty(), "{line:?} does not name {name}");
    }
}
