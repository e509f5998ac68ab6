//! `callforge script`: a role's script (регламент) to study — printed to the terminal, or written as a printable HTML page.

use super::list::parse_role;
use super::{CliError, CliResult, ScenarioDir, load_library, safe};
use crate::domain::Role;
use crate::domain::feedback::Lang;
use crate::domain::sheet::{self, PieceKind, ScriptSheet};
use crate::report::script::{self as page, SheetWords};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// Show a role's script (регламент) to learn it: every stage in order with its line, the phrases
/// it must mention (highlighted), the other lines accepted for it, its weight and whether it is
/// critical, and the phrases never to say.
///
/// The script is the one the role's scenarios in that language follow; a role with several shows
/// each, the one most scenarios follow first. With --out the sheet is one self-contained HTML page
/// that prints on A4, each language on a page of its own with its own headings; without it the
/// sheet is printed here as plain text.
///
/// Examples:
///   callforge script generator                          # both languages, in the terminal
///   callforge script closer --lang ru                   # only the Russian script
///   callforge script generator --out script.html        # a printable page, both languages
///   callforge script account --lang en --out account.html --scenarios my-scenarios/
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The role: generator, closer or account (AccountManager).
    #[arg(value_name = "ROLE", value_parser = parse_role)]
    role: Role,
    /// The language: ru, en (any language code the scenarios use), or all.
    #[arg(long, value_name = "LANG", default_value = "all")]
    lang: String,
    /// Write a printable HTML page here instead of printing text.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    #[command(flatten)]
    scenarios: ScenarioDir,
}

pub fn run(args: Args) -> CliResult {
    let lib = load_library(&args.scenarios)?;
    let available = sheet::languages(&lib, args.role);
    let wanted = args.lang.trim().to_lowercase();
    let languages: Vec<String> = if wanted == "all" { available.clone() } else { vec![wanted.clone()] };
    let parts: Vec<(String, Vec<ScriptSheet>)> = languages
        .into_iter()
        .map(|l| {
            let sheets = sheet::sheets(&lib, args.role, &l);
            (l, sheets)
        })
        .filter(|(_, sheets)| !sheets.is_empty())
        .collect();
    if parts.is_empty() {
        let had = if available.is_empty() { "none".to_owned() } else { available.join(", ") };
        let which = if wanted == "all" { String::new() } else { format!(" in \"{}\"", safe(&wanted)) };
        return Err(CliError::msg(format!(
            "no script for the role {}{which} in {} (languages with one for this role: {had})",
            args.role,
            args.scenarios.dir.display()
        )));
    }
    match &args.out {
        Some(path) => {
            let html = page::render(args.role, &parts);
            std::fs::write(path, html)
                .map_err(|source| CliError::Io { context: format!("cannot write {}", path.display()), source })?;
            let stages: usize = parts.iter().flat_map(|(_, s)| s).map(|s| s.stages.len()).sum();
            let langs: Vec<&str> = parts.iter().map(|(l, _)| l.as_str()).collect();
            outln!("wrote {} ({} stages; {})", path.display(), stages, safe(&langs.join(", ")));
        }
        None => {
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            for (i, (language, sheets)) in parts.iter().enumerate() {
                if i > 0 {
                    outln!();
                }
                out!("{}", text(args.role, language, sheets, color));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One language's sheets as terminal text: every text from the files made terminal-safe, the
/// must-mention phrases in bold yellow (with colour) or between asterisks (without).
fn text(role: Role, language: &str, sheets: &[ScriptSheet], color: bool) -> String {
    let w: &SheetWords = page::words(Lang::from_code(language));
    let mut out = String::new();
    let heading = format!("{}: {} — {}", w.title, w.lang.role_name(role), page::language_name(&safe(language)));
    out.push_str(&format!("{heading}\n{}\n", "=".repeat(heading.chars().count())));
    let must = if color { format!("\x1b[1;33m{}\x1b[0m", w.highlighted) } else { format!("*{}*", w.highlighted) };
    out.push_str(&format!(
        "{must} — {}.\n★ {} — {}.\n{} — {}.\n",
        w.must_hint,
        w.critical,
        w.critical_hint,
        w.lang.trainee_placeholder(),
        w.placeholder_hint
    ));
    if sheets.len() > 1 {
        out.push_str(&format!("{} {}.\n", sheets.len(), w.several));
    }
    for s in sheets {
        out.push_str(&format!("\n{}\n", safe(&s.title)));
        let used = if s.scenarios.is_empty() {
            w.no_scenarios.to_owned()
        } else {
            format!("{}: {}", w.scenarios, s.scenarios.len())
        };
        out.push_str(&format!(
            "{} · {} {} · {} · {} {:.2}\n",
            safe(&s.id),
            w.version,
            s.version,
            used,
            w.min_similarity,
            s.min_similarity
        ));
        for st in &s.stages {
            let crit = if st.critical { format!(" · ★ {}", w.critical) } else { String::new() };
            out.push_str(&format!(
                "\n{}. {} [{}] — {} {} ({:.0}%){crit}\n",
                st.number,
                safe(&st.title),
                safe(&st.id),
                w.weight,
                st.weight,
                st.share * 100.0
            ));
            let mut line = String::new();
            for piece in st.pieces() {
                let t = safe(piece.text);
                match piece.kind {
                    PieceKind::MustMention if color => line.push_str(&format!("\x1b[1;33m{t}\x1b[0m")),
                    PieceKind::MustMention => line.push_str(&format!("*{t}*")),
                    PieceKind::Plain | PieceKind::Placeholder => line.push_str(&t),
                }
            }
            out.push_str(&format!("   “{line}”\n"));
            let phrases: Vec<String> = st.mentions.iter().map(|m| format!("«{}»", safe(&m.phrase))).collect();
            if !phrases.is_empty() {
                out.push_str(&format!("   {}: {}\n", w.must_mention, phrases.join(", ")));
            }
            if !st.not_in_line.is_empty() {
                let missing: Vec<String> = st.not_in_line.iter().map(|p| format!("«{}»", safe(p))).collect();
                out.push_str(&format!("   {}: {}\n", w.not_in_line, missing.join(", ")));
            }
            for v in &st.variants {
                out.push_str(&format!("   {}: “{}”\n", w.variants, safe(v)));
            }
        }
        if !s.forbidden.is_empty() {
            out.push_str(&format!("\n{} ({})\n", w.forbidden, w.forbidden_hint));
            for f in &s.forbidden {
                let crit = if f.critical { format!(" · ★ {}", w.critical) } else { String::new() };
                out.push_str(&format!("   «{}» −{} {}{crit}\n", safe(&f.phrase), f.penalty, w.penalty));
            }
        }
    }
    out
}
