//! The script sheet end to end: the printable page of the bundled scripts, escaping, and `callforge script`.

use crate::cli::{callforge, text, tmp};
use crate::support::{bundled, library};
use callforge::domain::model::Role;
use callforge::domain::sheet;
use callforge::report::script::render;
use std::path::Path;

/// The page of a role in every language it has, as `callforge script ROLE --out` writes it.
fn page(lib: &callforge::domain::Library, role: Role) -> String {
    let parts: Vec<_> =
        sheet::languages(lib, role).into_iter().map(|l| (l.clone(), sheet::sheets(lib, role, &l))).collect();
    render(role, &parts)
}

/// The part of the page in one language.
fn part<'a>(html: &'a str, lang: &str) -> &'a str {
    let start =
        html.find(&format!("<section class=\"lang\" lang=\"{lang}\">")).unwrap_or_else(|| panic!("a {lang} part"));
    let rest = &html[start..];
    let end = rest[1..].find("<section class=\"lang\"").map_or(rest.len(), |i| i + 1);
    &rest[..end]
}

#[test]
fn the_page_holds_every_stage_of_the_generator_script_in_order_in_both_languages() {
    let lib = bundled();
    let html = page(&lib, Role::Generator);
    for (lang, id) in [("en", "generator-cold-call"), ("ru", "generator-cold-call-ru")] {
        let part = part(&html, lang);
        let script = lib.scripts.get(id).expect("the bundled script").script.clone();
        assert!(part.contains(&format!("{id} · ")), "{lang} names its script id");
        let mut at = 0;
        for stage in &script.stages {
            let found = part[at..]
                .find(&format!("id=\"stage-{}\"", stage.id))
                .unwrap_or_else(|| panic!("{lang}: stage {} after the one before", stage.id));
            at += found;
            let title = maud::html! { (stage.title) }.into_string();
            assert!(part[at..].contains(&title), "{lang}: the title of {}", stage.id);
        }
        assert!(part.contains(&format!("{} {}", if lang == "ru" { "версия" } else { "version" }, script.version)));
    }
    // Each language speaks its own words, and starts its own printed page.
    assert!(part(&html, "ru").contains("<h1>Регламент: Лидогенератор — Русский</h1>"), "{html}");
    assert!(part(&html, "en").contains("<h1>The script: Lead generator — English</h1>"));
    assert!(part(&html, "ru").contains("КРИТИЧЕСКИЙ") && part(&html, "en").contains("CRITICAL"));
    let first = &lib.scripts.get("generator-cold-call-ru").expect("the Russian script").script.stages[0];
    assert!(
        part(&html, "ru").contains(&format!("вес {} (", first.weight)) && !part(&html, "ru").contains("weight "),
        "Russian words"
    );
    assert!(html.contains("@page{size:A4") && html.contains(".lang+.lang{break-before:page"));
    assert!(!html.contains("<link") && !html.contains("src=\"http"), "self-contained");
}

#[test]
fn must_mention_phrases_are_highlighted_and_the_trainees_name_is_a_placeholder() {
    let html = page(&bundled(), Role::Generator);
    assert!(
        html.contains("Good afternoon! <mark>My name is</mark> <span class=\"ph\">[your name]</span>, I am calling from <mark>Northwind</mark> Office Supply."),
        "{html}"
    );
    assert!(html.contains("<mark>Меня зовут</mark>"));
    assert!(!html.contains("{trainee}"));
    // The critical stages carry the mark and the weight; the forbidden phrases are listed.
    assert!(html.contains("<li class=\"stage critical\" id=\"stage-greeting\">"));
    assert!(html.contains("weight 40 (40%)"));
    assert!(html.contains("«stupid»") && html.contains("−50 points"));
}

const HOSTILE_SCRIPT: &str = r#"Script(id: "evil", version: 2, role: Closer, title: "<img src=x onerror=alert(1)>", stages: [
    Stage(id: "a", title: "Say </li><script>alert('title')</script>", line: "Hello <script>alert('line')</script> & welcome to \"Acme\".",
          must_mention: ["welcome", "not in the line"], weight: 1,
          variants: ["<b>bold</b> welcome"]),
], forbidden: [Forbidden(phrase: "<i>never</i>", penalty: 5)])"#;

const HOSTILE_SCENARIO: &str = r#"Scenario(id: "closer/evil", version: 1, title: "T", role: Closer, language: "en", script: "evil", brief: "b",
    persona: Persona(name: "A", position: "B", company: "C", patience: 3), start: "q",
    nodes: { "q": Line(say: ["Hi"], expect: "a", choices: [Choice(text: "Hello <script>alert('line')</script> & welcome to \"Acme\".", stage: "a", next: "z")]),
             "z": End(outcome: Success, label: "ok") })"#;

#[test]
fn text_from_the_files_is_escaped_never_markup() {
    let lib = library(&[("scripts/evil.ron", HOSTILE_SCRIPT), ("closer/evil.ron", HOSTILE_SCENARIO)]);
    let html = page(&lib, Role::Closer);
    assert!(
        html.contains(
            "Hello &lt;script&gt;alert('line')&lt;/script&gt; &amp; <mark>welcome</mark> to &quot;Acme&quot;."
        ),
        "{html}"
    );
    assert!(!html.contains("<script"), "no script element at all: {html}");
    assert!(!html.contains("<img") && !html.contains("<b>bold") && !html.contains("<i>never"));
    assert!(html.contains("&lt;/li&gt;&lt;script&gt;alert('title')"));
    assert!(html.contains("«not in the line»"), "a phrase the line does not hold is listed apart");
}

/// A scenario root in a temporary folder.
fn root(name: &str, files: &[(&str, &str)]) -> std::path::PathBuf {
    let dir = tmp(name);
    let _ = std::fs::remove_dir_all(&dir);
    for (path, text) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().expect("a folder")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }
    dir
}

#[test]
fn the_command_writes_the_page_and_prints_text_with_control_characters_escaped() {
    let out_file = tmp("generator-script.html");
    let _ = std::fs::remove_file(&out_file);
    let out = callforge(&["script", "generator", "--out", out_file.to_str().expect("utf8")], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let html = std::fs::read_to_string(&out_file).expect("the page was written");
    assert!(html.contains("lang=\"en\"") && html.contains("lang=\"ru\""), "both languages by default");
    let lib = bundled();
    let stages: usize = ["en", "ru"]
        .iter()
        .flat_map(|l| callforge::domain::sheet::sheets(&lib, Role::Generator, l))
        .map(|s| s.stages.len())
        .sum();
    assert!(stages > 9, "both languages' generator scripts: {stages}");
    assert!(text(&out.stdout).contains(&format!("{stages} stages")), "{}", text(&out.stdout));

    let ru = callforge(&["script", "gen", "--lang", "ru"], None);
    assert_eq!(ru.status.code(), Some(0));
    let shown = text(&ru.stdout);
    assert!(shown.starts_with("Регламент: Лидогенератор — Русский"), "{shown}");
    assert!(shown.contains("“Добрый день! *Меня зовут* [ваше имя], компания «*Северный ветер*».”"), "{shown}");
    assert!(!shown.contains("Lead generator"), "only the language asked for");

    // A raw escape character in the files: it would clear the screen if printed as it is.
    let escaped = HOSTILE_SCRIPT.replace("& welcome", "\u{1b}[2J& welcome");
    let scenario = HOSTILE_SCENARIO.replace("& welcome", "\u{1b}[2J& welcome");
    let dir = root("hostile-root", &[("scripts/evil.ron", &escaped), ("closer/evil.ron", &scenario)]);
    let out = callforge(&["script", "closer", "--scenarios", dir.to_str().expect("utf8")], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    assert!(!shown.contains('\u{1b}'), "no escape character reaches the terminal: {shown:?}");
    assert!(shown.contains("\\u{1b}[2J"), "{shown}");
}

#[test]
fn an_unknown_role_or_language_is_a_clear_error() {
    let out = callforge(&["script", "janitor"], None);
    assert_eq!(out.status.code(), Some(2), "a wrong argument exits 2, as every argument error does");
    let err = text(&out.stderr);
    assert!(err.contains("unknown role `janitor`; use generator, closer or account"), "{err}");

    let out = callforge(&["script", "closer", "--lang", "de"], None);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("no script for the role Closer in \"de\"") && err.contains("en, ru"), "{err}");

    let empty = root("empty-root", &[("scripts/.keep", "")]);
    let out = callforge(&["script", "account", "--scenarios", empty.to_str().expect("utf8")], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("languages with one for this role: none"), "{}", text(&out.stderr));
}

#[test]
fn the_help_teaches_with_examples() {
    let out = callforge(&["script", "--help"], None);
    assert_eq!(out.status.code(), Some(0));
    let help = text(&out.stdout);
    assert!(help.contains("Examples:") && help.contains("callforge script generator --out script.html"), "{help}");
    assert!(Path::new(env!("CARGO_BIN_EXE_callforge")).exists());
}
