//! The team report as one self-contained HTML page: inline CSS, inline SVG charts, no external
//! assets, laid out to print on A4 (each trainee starts a new page).

use super::{StageColumn, TeamReport, TraineeSummary};
use crate::domain::assign::State;
use crate::domain::feedback::Lang;
use crate::domain::model::Outcome;
use crate::domain::time::{format_minute, format_time};
use crate::records::{RunRow, TraineeAssignment};
use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::html_words::{Words, words};

const CSS: &str = r#"
*{box-sizing:border-box}
body{font-family:"DejaVu Sans",Arial,Helvetica,sans-serif;color:#1d2330;margin:24px;font-size:13px;line-height:1.35}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:22px 0 8px;border-bottom:2px solid #2f6fd6;padding-bottom:3px}
h3{font-size:14px;margin:14px 0 6px}.meta{color:#5b6475}
table{border-collapse:collapse;width:100%;margin:6px 0}th,td{border:1px solid #d5dae3;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#eef2f8;cursor:pointer;white-space:nowrap}td.num,th.num{text-align:right}
.ok{color:#17803d;font-weight:bold}.bad{color:#c0392b;font-weight:bold}.dim{color:#7a8294}
.heat td{text-align:center;font-size:11px;min-width:34px}.heat th{font-size:11px;white-space:normal;cursor:default}
.trainee{margin-top:26px}.charts{display:flex;gap:18px;flex-wrap:wrap}
.turn{margin:2px 0 6px 0;padding-left:8px;border-left:3px solid #d5dae3}.turn.hit{border-color:#3fae6a}.turn.miss{border-color:#e05252}
svg{background:#fafbfd;border:1px solid #e2e6ee}
@page{size:A4;margin:12mm}
@media print{body{margin:0;font-size:10.5px}th{cursor:default}.trainee{break-before:page}table,svg,.turn{break-inside:avoid}.noprint{display:none}}
"#;

/// Sorts a table by the clicked column; the page reads fine without it.
const SORT_JS: &str = r#"
document.querySelectorAll('table.sortable th').forEach(function(th, i){th.addEventListener('click', function(){
 var tb=th.closest('table').tBodies[0], rows=Array.from(tb.rows), asc=th.dataset.asc!=='1';
 rows.sort(function(a,b){var x=a.cells[i].dataset.v||a.cells[i].textContent, y=b.cells[i].dataset.v||b.cells[i].textContent;
  var nx=parseFloat(x), ny=parseFloat(y); var c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y); return asc?c:-c;});
 rows.forEach(function(r){tb.appendChild(r)}); th.dataset.asc=asc?'1':'0';});});
"#;

fn day(t: i64) -> String {
    format_time(t).chars().take(10).collect()
}

/// A colour from red (0) through amber to green (1).
fn heat_color(q: f64) -> String {
    let q = q.clamp(0.0, 1.0);
    let (r, g, b) = if q < 0.5 {
        let t = q / 0.5;
        (224.0 + (240.0 - 224.0) * t, 82.0 + (176.0 - 82.0) * t, 82.0 + (63.0 - 82.0) * t)
    } else {
        let t = (q - 0.5) / 0.5;
        (240.0 + (63.0 - 240.0) * t, 176.0 + (174.0 - 176.0) * t, 63.0 + (106.0 - 63.0) * t)
    };
    format!("rgb({:.0},{:.0},{:.0})", r, g, b)
}

/// A label cut into at most `lines` lines of at most `width` characters, at word boundaries (a
/// word longer than a line is cut); when words are left out, the last line ends in "…" after its
/// last whole word.
fn wrap(label: &str, width: usize, lines: usize) -> Vec<String> {
    let words: Vec<String> = label.split_whitespace().map(|w| w.chars().take(width).collect()).collect();
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut i = 0;
    while i < words.len() {
        let word = &words[i];
        if line.is_empty() || line.chars().count() + 1 + word.chars().count() <= width {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
            i += 1;
        } else {
            out.push(std::mem::take(&mut line));
            if out.len() == lines {
                break;
            }
        }
    }
    if !line.is_empty() && out.len() < lines {
        out.push(line);
    }
    if i < words.len()
        && let Some(last) = out.last_mut()
    {
        while last.chars().count() + 1 > width {
            match last.rfind(' ') {
                Some(k) => last.truncate(k),
                None => {
                    *last = last.chars().take(width.saturating_sub(1)).collect();
                    break;
                }
            }
        }
        last.push('…');
    }
    out
}

/// The trainee's scores over time: calls from oldest to newest along the bottom, evenly spaced,
/// with the dates of the calls under four of them; the score from 0 to 100 up the side; the pass
/// mark 80 as a dashed reference line.
fn score_chart(w: &Words, runs: &[RunRow]) -> Markup {
    let (width, h, left, bottom, top) = (520.0, 170.0, 34.0, 34.0, 10.0);
    // At most 200 points: every n-th run, always the last.
    let step = runs.len().div_ceil(200).max(1);
    let picked: Vec<&RunRow> =
        runs.iter().enumerate().filter(|(i, _)| i % step == 0 || *i + 1 == runs.len()).map(|(_, r)| r).collect();
    let n = picked.len().max(2) - 1;
    let plot_w = width - left - 14.0;
    let x = |i: usize| left + 4.0 + (i as f64 / n as f64) * (plot_w - 8.0);
    let y = |s: u32| h - bottom - (f64::from(s) / 100.0) * (h - bottom - top);
    let points: Vec<String> =
        picked.iter().enumerate().map(|(i, r)| format!("{:.1},{:.1}", x(i), y(r.score))).collect();
    // The dates of the first, last and two calls between (fewer when there are fewer calls).
    let mut ticks: Vec<usize> = (0..4).map(|k| k * (picked.len().max(1) - 1) / 3).collect();
    ticks.dedup();
    let anchor = |i: usize| {
        if i == 0 {
            "start"
        } else if i + 1 == picked.len() {
            "end"
        } else {
            "middle"
        }
    };
    html! {
        svg xmlns="http://www.w3.org/2000/svg" width=(width) height=(h) viewBox=(format!("0 0 {width} {h}")) role="img" {
            title { (w.scores) }
            @for v in [0u32, 20, 40, 60, 80, 100] {
                line x1=(left) x2=(width - 8.0) y1=(format!("{:.1}", y(v))) y2=(format!("{:.1}", y(v)))
                    stroke=(if v == 80 { "#2f6fd6" } else { "#dde2ea" }) stroke-dasharray=(if v == 80 { "4 3" } else { "none" }) {}
                text x=(left - 4.0) y=(format!("{:.1}", y(v) + 3.0)) font-size="9" fill="#7a8294" text-anchor="end" { (v) }
            }
            text x=(width - 10.0) y=(format!("{:.1}", y(80) - 3.0)) font-size="9" fill="#2f6fd6" text-anchor="end" { (w.pass_line) }
            text x="9" y=(format!("{:.1}", top + (h - bottom - top) / 2.0)) font-size="9" fill="#5b6475" text-anchor="middle"
                transform=(format!("rotate(-90 9 {:.1})", top + (h - bottom - top) / 2.0)) { (w.axis_score) }
            @for i in &ticks {
                @if let Some(r) = picked.get(*i) {
                    line x1=(format!("{:.1}", x(*i))) x2=(format!("{:.1}", x(*i))) y1=(h - bottom) y2=(h - bottom + 4.0) stroke="#7a8294" {}
                    text x=(format!("{:.1}", x(*i))) y=(h - bottom + 14.0) font-size="9" fill="#7a8294" text-anchor=(anchor(*i)) { (day(r.played_at)) }
                }
            }
            text x=(format!("{:.1}", left + plot_w / 2.0)) y=(h - 4.0) font-size="9" fill="#5b6475" text-anchor="middle" {
                (w.axis_date) " (" (runs.len()) ")"
            }
            @if picked.len() > 1 {
                polyline fill="none" stroke="#2f6fd6" stroke-width="1.6" points=(points.join(" ")) {}
            }
            @if picked.len() <= 60 {
                @for (i, r) in picked.iter().enumerate() {
                    circle cx=(format!("{:.1}", x(i))) cy=(format!("{:.1}", y(r.score))) r="2.6" fill=(if r.passed { "#17803d" } else { "#c0392b" }) {
                        title { (r.scenario) " " (day(r.played_at)) ": " (r.score) }
                    }
                }
            }
        }
    }
}

/// Horizontal bars: (label, quality 0–1), weakest first. Labels wrap at word boundaries onto two
/// lines; a longer one ends in "…" and shows whole as a tooltip. The scale is 0–100% along the top.
fn bars(items: &[(String, f64)]) -> Markup {
    let (width, row, label_w, top) = (520.0, 26.0, 220.0, 14.0);
    let bar_w = width - label_w - 50.0;
    let h = top + row * items.len().max(1) as f64 + 4.0;
    html! {
        svg xmlns="http://www.w3.org/2000/svg" width=(width) height=(h) viewBox=(format!("0 0 {width} {h}")) role="img" {
            @for v in [0u32, 50, 100] {
                @let vx = label_w + bar_w * f64::from(v) / 100.0;
                line x1=(format!("{vx:.1}")) x2=(format!("{vx:.1}")) y1=(top - 2.0) y2=(h - 2.0) stroke="#dde2ea" {}
                text x=(format!("{vx:.1}")) y="9" font-size="8" fill="#7a8294" text-anchor="middle" { (v) "%" }
            }
            @for (i, (label, q)) in items.iter().enumerate() {
                @let y = top + row * i as f64;
                @let bw = (bar_w * q.clamp(0.0, 1.0)).max(1.0);
                @let lines = wrap(label, 34, 2);
                g {
                    title { (label) }
                    @for (k, l) in lines.iter().enumerate() {
                        text x="4" y=(format!("{:.1}", y + 10.0 + 10.0 * k as f64 + if lines.len() == 1 { 5.0 } else { 0.0 })) font-size="9.5" fill="#1d2330" { (l) }
                    }
                    rect x=(label_w) y=(y + 4.0) width=(format!("{bw:.1}")) height=(row - 10.0) fill=(heat_color(*q)) {}
                    text x=(format!("{:.1}", label_w + bw + 4.0)) y=(y + 15.0) font-size="10" fill="#5b6475" { (format!("{:.0}%", q * 100.0)) }
                }
            }
        }
    }
}

fn team_table(w: &Words, report: &TeamReport) -> Markup {
    html! {
        p.noprint.dim { (w.sort_hint) }
        table.sortable #team {
            thead { tr {
                th { (w.trainee) } th { (w.role) } th.num { (w.runs_week) } th.num { (w.runs) }
                th.num { (w.average) } th.num { (w.best) } th.num { (w.drills) } th { (w.last) } th { (w.assignments) }
                th { (w.eligible) }
            } }
            tbody {
                @for t in &report.trainees {
                    tr {
                        td { a href=(format!("#t{}", t.trainee.id)) { (t.trainee.name) } }
                        td data-v=(t.trainee.role as u8) { (w.lang.role_name(t.trainee.role)) }
                        td.num { (t.runs_this_week) }
                        td.num { (t.runs.len()) }
                        td.num data-v=(t.average.unwrap_or(-1.0)) { @if let Some(a) = t.average { (format!("{a:.1}")) } @else { "—" } }
                        td.num data-v=(t.best.map_or(-1, i64::from)) { @if let Some(b) = t.best { (b) } @else { "—" } }
                        td.num { (t.drills) }
                        td data-v=(t.last_activity.unwrap_or(0)) { @if let Some(l) = t.last_activity { (format_minute(l)) } @else { "—" } }
                        td data-v=(t.assignments_in(State::Overdue)) { (assignment_tally(w, t)) }
                        td { @if t.eligible() { span.ok { (w.yes) } } @else { span.dim { (w.no) } } }
                    }
                }
            }
        }
    }
}

fn heatmap(w: &Words, report: &TeamReport) -> Markup {
    let columns: Vec<&StageColumn> = report.stages.iter().take(24).collect();
    html! {
        table.heat {
            thead { tr {
                th { (w.trainee) }
                @for c in &columns { th title=(c.key) { (c.title) } }
            } }
            tbody {
                @for t in &report.trainees {
                    tr {
                        td style="text-align:left" { (t.trainee.name) }
                        @for c in &columns {
                            @match report.heat.get(&(t.trainee.id, c.key.clone())) {
                                Some((q, n)) => td style=(format!("background:{}", heat_color(*q))) title=(format!("{n} runs")) { (format!("{:.0}", q * 100.0)) },
                                None => td.dim { "·" },
                            }
                        }
                    }
                }
            }
        }
    }
}

fn trainee_page(w: &Words, report: &TeamReport, t: &TraineeSummary) -> Markup {
    let strength: Vec<(String, f64)> = report
        .stages
        .iter()
        .filter_map(|c| report.heat.get(&(t.trainee.id, c.key.clone())).map(|(q, _)| (c.title.clone(), *q)))
        .collect();
    html! {
        section.trainee id=(format!("t{}", t.trainee.id)) {
            h2 { (t.trainee.name) " — " (w.lang.role_name(t.trainee.role)) }
            @if let Some(e) = &t.eligibility {
                @if let Some(next) = e.next {
                    p {
                        (w.next_rung) ": " b { (w.lang.role_name(next)) } ". "
                        (w.practice) ": " (e.practice_runs) " / " (e.practice_needed) ". "
                        (w.exams) " (" (e.language) "): " (e.exams.iter().filter(|x| x.passed).count()) " / " (e.exams.len())
                        @if !e.exams.is_empty() {
                            " — "
                            @for (k, x) in e.exams.iter().enumerate() {
                                @if k > 0 { ", " }
                                (x.scenario) " " @if x.passed { span.ok { "✓" } } @else { span.dim { "✗" } }
                            }
                        }
                        ". "
                        @if e.eligible { span.ok { (w.eligible) } } @else { span.dim { (w.missing) ": " (e.missing_in(w.lang).join("; ")) } }
                    }
                }
            }
            @if !t.assignments.is_empty() {
                h3 { (w.assignments) }
                (assignment_table(w, &t.assignments.iter().map(|a| ("", a)).collect::<Vec<_>>(), false))
            }
            @if t.runs.is_empty() {
                p.dim { (w.no_runs) }
            } @else {
                div.charts {
                    div { h3 { (w.scores) } (score_chart(w, &t.runs)) }
                    div {
                        h3 { (w.strength) }
                        @if strength.is_empty() { p.dim { (w.no_stages) } } @else { (bars(&strength)) }
                    }
                }
                h3 { (w.latest) }
                table {
                    thead { tr { th { (w.played) } th { (w.scenario) } th { (w.mode) } th.num { (w.score) } th { (w.outcome) } } }
                    tbody {
                        @for r in t.runs.iter().rev().take(12) {
                            tr {
                                td { (format_minute(r.played_at)) }
                                td { (r.scenario) }
                                td { (w.lang.mode_name(r.mode)) }
                                td.num { span class=(if r.passed { "ok" } else { "bad" }) { (r.score) } " " (if r.passed { w.passed } else { w.failed }) }
                                td { (r.label) @if r.outcome == Outcome::Failure { " ✗" } }
                            }
                        }
                    }
                }
                @for (row, score) in &t.transcripts {
                    h3 { (w.transcript) ": " (row.scenario) ", " (format_minute(row.played_at)) " — " (score.score) }
                    p.dim {
                        (w.receipt) " " (score.scorer) " · " (score.scenario) " v" (score.version)
                        " · " (score.hash) @if !score.callforge.is_empty() { " · callforge " (score.callforge) }
                    }
                    @for turn in &score.turns {
                        div class=(if turn.q.is_none() { "turn" } else if turn.hit { "turn hit" } else { "turn miss" }) {
                            div.dim { (w.customer) ": " (turn.customer) }
                            @if let Some(title) = &turn.expected_title { div { b { (title) } } }
                            div { (w.said) ": “" (turn.said) "”" @if let Some(q) = turn.q { " — q " (format!("{q:.2}")) } }
                            div.dim { (turn.feedback) @for n in &turn.notes { " · " (n) } }
                        }
                    }
                }
            }
        }
    }
}

/// "2/3 done · 1 overdue", or "—" without assignments.
fn assignment_tally(w: &Words, t: &TraineeSummary) -> Markup {
    let (done, late) = (t.assignments_in(State::Done), t.assignments_in(State::Overdue));
    html! {
        @if t.assignments.is_empty() { span.dim { "—" } } @else {
            (done) "/" (t.assignments.len()) " " (State::Done.name_in(w.lang, false))
            @if late > 0 { " · " span.bad { (late) " " (State::Overdue.name_in(w.lang, false)) } }
        }
    }
}

/// A table of assignments: one row per trainee and assignment, `who` naming the trainee column.
fn assignment_table(w: &Words, rows: &[(&str, &TraineeAssignment)], who: bool) -> Markup {
    html! {
        table {
            thead { tr {
                @if who { th { (w.trainee) } }
                th { (w.task) } th { (w.due) } th.num { (w.min_score) } th { (w.state) } th { (w.note) }
            } }
            tbody {
                @for (name, item) in rows {
                    @let (a, p) = (&item.assignment, &item.progress);
                    tr {
                        @if who { td { (name) } }
                        td { (a.task.describe_in(w.lang, None)) }
                        td { (format_minute(a.due)) }
                        td.num { @if let Some(m) = a.min_score { (m) } @else { "—" } }
                        td {
                            span class=(match p.state { State::Done => "ok", State::Overdue => "bad", State::Open => "" }) {
                                (p.state.name_in(w.lang, p.late))
                            }
                            @if let Some(at) = p.done_at { " " (format_minute(at)) }
                            @if p.needed > 1 { " · " (p.counted) "/" (p.needed) }
                            @if let Some(b) = p.best { " · " (w.best) " " (b) }
                        }
                        td { @if !a.note.is_empty() { "«" (a.note) "» " } span.dim { (w.set_by) " " (a.manager) } }
                    }
                }
            }
        }
    }
}

/// Every trainee's assignments, overdue first, then open, then done.
fn all_assignments(w: &Words, report: &TeamReport) -> Markup {
    let mut rows: Vec<(&str, &TraineeAssignment)> =
        report.trainees.iter().flat_map(|t| t.assignments.iter().map(|a| (t.trainee.name.as_str(), a))).collect();
    rows.sort_by_key(|(_, a)| (a.progress.state, a.assignment.due, a.assignment.id));
    assignment_table(w, &rows, true)
}

/// Each script's agreement with its trainer's calibration set.
fn calibration(w: &Words, report: &TeamReport) -> Markup {
    html! {
        table {
            thead { tr { th { (w.script) } th.num { (w.labels) } th.num { (w.agreement) } th.num { "κ" } } }
            tbody {
                @for c in &report.calibration {
                    tr {
                        td { (c.script) }
                        td.num { (c.overall.total()) }
                        td.num {
                            span class=(if c.passed { "ok" } else { "bad" }) { (format!("{:.1}%", 100.0 * c.overall.agreement())) }
                        }
                        td.num { (format!("{:.2}", c.overall.kappa())) }
                    }
                }
            }
        }
    }
}

/// The whole report as HTML text.
pub fn render(report: &TeamReport, lang: Lang) -> String {
    let w = words(lang);
    let weakest: Vec<(String, f64)> = report
        .stages
        .iter()
        .take(10)
        .map(|c| (format!("{} — {}", w.lang.role_name(c.role), c.title), c.quality))
        .collect();
    let page = html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (w.title) }
                style { (PreEscaped(CSS)) }
            }
            body {
                h1 { "callforge — " (w.title) }
                p.meta {
                    (w.generated) ": " (format_minute(report.generated_at)) " UTC · "
                    @if let Some(s) = report.since { (w.period) " " (day(s)) } @else { (w.all_time) }
                    " · " (w.role_filter) ": " @if let Some(r) = report.role { (w.lang.role_name(r)) } @else { (w.all_roles) }
                }
                h2 { (w.team) }
                @if report.trainees.is_empty() { p.dim { (w.no_trainees) } } @else { (team_table(w, report)) }
                @if report.trainees.iter().any(|t| !t.assignments.is_empty()) {
                    h2 { (w.assignments) }
                    p.dim { (w.assignments_hint) }
                    (all_assignments(w, report))
                }
                @if !report.stages.is_empty() {
                    h2 { (w.weakest) }
                    (bars(&weakest))
                    h3 { (w.heatmap) }
                    (heatmap(w, report))
                }
                @if !report.calibration.is_empty() {
                    h2 { (w.calibration) }
                    p.dim { (w.calibration_hint) }
                    (calibration(w, report))
                }
                @for t in &report.trainees { (trainee_page(w, report, t)) }
                @if !report.promotions.is_empty() {
                    h2 { (w.promotions) }
                    table {
                        tbody {
                            @for p in &report.promotions {
                                tr {
                                    td { (format_minute(p.at)) }
                                    td { (report.trainees.iter().find(|t| t.trainee.id == p.trainee_id).map_or(String::new(), |t| t.trainee.name.clone())) }
                                    td { (p.kind) ": " (w.lang.role_name(p.from_role)) " → " (w.lang.role_name(p.to_role)) }
                                    td { (w.approved_by) " " (p.manager) }
                                }
                            }
                        }
                    }
                }
                script { (PreEscaped(SORT_JS)) }
            }
        }
    };
    page.into_string()
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn labels_wrap_at_word_boundaries_and_say_when_words_are_left_out() {
        assert_eq!(wrap("Greeting", 20, 2), ["Greeting"]);
        assert_eq!(
            wrap("Answer the objection with the approved", 20, 2),
            ["Answer the objection", "with the approved"]
        );
        assert_eq!(
            wrap("Answer the objection with the approved reply", 20, 2),
            ["Answer the objection", "with the approved…"]
        );
        assert_eq!(
            wrap("«Некогда»: не задерживать, визит с образцами", 24, 2),
            ["«Некогда»: не", "задерживать, визит с…"]
        );
        assert_eq!(wrap("Supercalifragilisticexpialidocious", 10, 2), ["Supercalif"]);
        for l in wrap(&"word ".repeat(50), 12, 2) {
            assert!(l.chars().count() <= 12, "{l}");
        }
    }
}
