//! The printable script sheet (`callforge script ROLE --out script.html`): a role's scripts as one self-contained A4 page per language, each part with that language's own headings.

use crate::domain::feedback::Lang;
use crate::domain::model::Role;
use crate::domain::sheet::{PieceKind, ScriptSheet, StageSheet};
use maud::{DOCTYPE, Markup, PreEscaped, html};

/// The words of a script sheet, per language (the printed page and the terminal's text use them).
#[derive(Debug)]
pub struct SheetWords {
    pub lang: Lang,
    /// "The script", before the role's name.
    pub title: &'static str,
    pub version: &'static str,
    pub language: &'static str,
    /// Before the number of scenarios that follow the script.
    pub scenarios: &'static str,
    pub no_scenarios: &'static str,
    pub min_similarity: &'static str,
    pub weight: &'static str,
    pub critical: &'static str,
    /// What "critical" means, for the legend.
    pub critical_hint: &'static str,
    /// The legend's word for the highlighting.
    pub highlighted: &'static str,
    /// What the highlighting means, for the legend.
    pub must_hint: &'static str,
    pub must_mention: &'static str,
    /// Before must-mention phrases the line does not hold word for word.
    pub not_in_line: &'static str,
    pub variants: &'static str,
    pub forbidden: &'static str,
    pub forbidden_hint: &'static str,
    pub penalty: &'static str,
    /// Before the count, when a role has several scripts in a language.
    pub several: &'static str,
    /// After the placeholder, in the legend.
    pub placeholder_hint: &'static str,
}

pub const EN: SheetWords = SheetWords {
    lang: Lang::En,
    title: "The script",
    version: "version",
    language: "English",
    scenarios: "scenarios follow it",
    no_scenarios: "no scenario follows it yet",
    min_similarity: "Recall: a typed line counts from similarity",
    weight: "weight",
    critical: "CRITICAL",
    critical_hint: "missing this stage fails the whole call, whatever the score",
    highlighted: "highlighted",
    must_hint: "must be said, in these words or other forms of them",
    must_mention: "must mention",
    not_in_line: "must mention (not word for word in the line)",
    variants: "also accepted",
    forbidden: "Never say",
    forbidden_hint: "each time one is said it costs its points; a critical one fails the call",
    penalty: "points",
    several: "scripts for this role in this language; the one most scenarios follow comes first",
    placeholder_hint: "say your own name here",
};

pub const RU: SheetWords = SheetWords {
    lang: Lang::Ru,
    title: "Регламент",
    version: "версия",
    language: "Русский",
    scenarios: "сценариев по нему",
    no_scenarios: "сценариев по нему пока нет",
    min_similarity: "по памяти: реплика засчитывается от сходства",
    weight: "вес",
    critical: "КРИТИЧЕСКИЙ",
    critical_hint: "если этап пропущен, звонок не сдан при любом балле",
    highlighted: "выделено",
    must_hint: "обязательно сказать, этими словами или их формами",
    must_mention: "обязательно упомянуть",
    not_in_line: "обязательно упомянуть (в реплике не дословно)",
    variants: "также принимается",
    forbidden: "Нельзя говорить",
    forbidden_hint: "каждое такое слово снимает свои баллы; критическое — звонок не сдан",
    penalty: "баллов",
    several: "регламента(ов) для этой роли на этом языке; первым — тот, по которому больше сценариев",
    placeholder_hint: "здесь вы называете своё имя",
};

/// The words of a language.
pub fn words(lang: Lang) -> &'static SheetWords {
    match lang {
        Lang::En => &EN,
        Lang::Ru => &RU,
    }
}

/// The name of a language code in that language (`ru` → «Русский»), or the code itself.
pub fn language_name(code: &str) -> String {
    match code {
        "en" => EN.language.to_owned(),
        "ru" => RU.language.to_owned(),
        other => other.to_owned(),
    }
}

const CSS: &str = r#"
*{box-sizing:border-box}
body{font-family:"DejaVu Sans",Arial,Helvetica,sans-serif;color:#1d2330;margin:24px;font-size:13px;line-height:1.4;-webkit-print-color-adjust:exact;print-color-adjust:exact}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:18px 0 6px;border-bottom:2px solid #2f6fd6;padding-bottom:3px}
h3{font-size:14px;margin:14px 0 6px}.meta,.dim{color:#5b6475}
.legend{font-size:11.5px;color:#5b6475;margin:4px 0 10px}
ol.stages{list-style:none;padding:0;margin:0}
li.stage{border:1px solid #d5dae3;border-left:5px solid #2f6fd6;border-radius:4px;padding:6px 10px;margin:0 0 8px}
li.stage.critical{border-left-color:#c0392b}
.head{display:flex;justify-content:space-between;gap:12px;align-items:baseline}
.head .title{font-weight:bold;font-size:14px}.head .id{color:#7a8294;font-size:11px;margin-left:6px}
.weight{white-space:nowrap;color:#5b6475}.crit{color:#c0392b;font-weight:bold;margin-left:8px}
.line{font-size:14.5px;margin:5px 0 4px;padding:4px 8px;background:#f6f8fb;border-radius:3px}
mark{background:#ffe08a;color:inherit;font-weight:bold;padding:0 1px;border-radius:2px}
.ph{color:#2f6fd6;font-style:italic}
.extra{margin:2px 0;font-size:12px}.extra ul{margin:2px 0 2px 18px;padding:0}
table{border-collapse:collapse;margin:6px 0}th,td{border:1px solid #d5dae3;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#eef2f8}td.num{text-align:right}.bad{color:#c0392b;font-weight:bold}
.lang+.lang{margin-top:36px;padding-top:14px;border-top:3px double #d5dae3}
@page{size:A4;margin:14mm}
@media print{body{margin:0;font-size:11px}.lang+.lang{break-before:page;margin-top:0;padding-top:0;border-top:none}li.stage,table{break-inside:avoid}h2,h3{break-after:avoid}}
"#;

/// The line with its must-mention phrases in `<mark>` and the trainee's name as a placeholder.
fn line(stage: &StageSheet) -> Markup {
    html! {
        @for piece in stage.pieces() {
            @match piece.kind {
                PieceKind::Plain => (piece.text),
                PieceKind::MustMention => mark { (piece.text) },
                PieceKind::Placeholder => span.ph { (piece.text) },
            }
        }
    }
}

fn quoted(items: &[String]) -> String {
    items.iter().map(|p| format!("«{p}»")).collect::<Vec<_>>().join(", ")
}

fn stage(w: &SheetWords, st: &StageSheet) -> Markup {
    let phrases: Vec<String> = st.mentions.iter().map(|m| m.phrase.clone()).collect();
    html! {
        li.stage.critical[st.critical] id=(format!("stage-{}", st.id)) {
            div.head {
                span {
                    span.title { (st.number) ". " (st.title) }
                    span.id { "[" (st.id) "]" }
                }
                span {
                    span.weight { (w.weight) " " (st.weight) " (" (format!("{:.0}", st.share * 100.0)) "%)" }
                    @if st.critical { span.crit { "★ " (w.critical) } }
                }
            }
            div.line { (line(st)) }
            @if !phrases.is_empty() { div.extra.dim { (w.must_mention) ": " (quoted(&phrases)) } }
            @if !st.not_in_line.is_empty() { div.extra { b { (w.not_in_line) ": " } (quoted(&st.not_in_line)) } }
            @if !st.variants.is_empty() {
                div.extra {
                    (w.variants) ":"
                    ul { @for v in &st.variants { li { (v) } } }
                }
            }
        }
    }
}

fn script(w: &SheetWords, sheet: &ScriptSheet) -> Markup {
    html! {
        section.script id=(format!("script-{}-{}", sheet.id, sheet.language)) {
            h2 { (sheet.title) }
            p.meta {
                (sheet.id) " · " (w.version) " " (sheet.version) " · " (sheet.language)
                " · " (w.min_similarity) " " (format!("{:.2}", sheet.min_similarity)) " · "
                @if sheet.scenarios.is_empty() { (w.no_scenarios) } @else {
                    (w.scenarios) ": " (sheet.scenarios.len())
                    span.dim { " (" (sheet.scenarios.join(", ")) ")" }
                }
            }
            ol.stages { @for st in &sheet.stages { (stage(w, st)) } }
            @if !sheet.forbidden.is_empty() {
                h3 { (w.forbidden) }
                p.legend { (w.forbidden_hint) }
                table {
                    tbody {
                        @for f in &sheet.forbidden {
                            tr {
                                td { "«" (f.phrase) "»" }
                                td.num { "−" (f.penalty) " " (w.penalty) }
                                td { @if f.critical { span.bad { "★ " (w.critical) } } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// One language's part: its headings, the legend and every script.
fn part(role: Role, language: &str, sheets: &[ScriptSheet]) -> Markup {
    let w = words(Lang::from_code(language));
    html! {
        section.lang lang=(language) {
            h1 { (w.title) ": " (w.lang.role_name(role)) " — " (language_name(language)) }
            p.legend {
                mark { (w.highlighted) } " — " (w.must_hint) ". "
                span.crit { "★ " (w.critical) } " — " (w.critical_hint) ". "
                span.ph { (w.lang.trainee_placeholder()) } " — " (w.placeholder_hint) "."
            }
            @if sheets.len() > 1 { p.meta { (sheets.len()) " " (w.several) "." } }
            @for sheet in sheets { (script(w, sheet)) }
        }
    }
}

/// The whole page: a part per language, in the order given, each starting a new printed page.
/// Every text from the scenario files is escaped.
pub fn render(role: Role, parts: &[(String, Vec<ScriptSheet>)]) -> String {
    let title = parts.iter().map(|(l, _)| words(Lang::from_code(l)).title).collect::<Vec<_>>().join(" / ");
    let lang = parts.first().map_or("en", |(l, _)| l.as_str());
    html! {
        (DOCTYPE)
        html lang=(lang) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "callforge — " (title) ": " (role.as_str()) }
                style { (PreEscaped(CSS)) }
            }
            body { @for (language, sheets) in parts { (part(role, language, sheets)) } }
        }
    }
    .into_string()
}
