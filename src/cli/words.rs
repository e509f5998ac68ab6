//! The words the terminal says around a call and its score, in English and Russian: the scenario's language picks them.

use crate::domain::feedback::Lang;

/// The terminal's words for `play` and the score breakdown.
#[derive(Debug)]
pub struct Words {
    pub mode: &'static str,
    pub scenario_seed: &'static str,
    pub brief: &'static str,
    pub customer: &'static str,
    pub answer_hint: &'static str,
    pub answer_hint_recall: &'static str,
    pub script: &'static str,
    pub end_of_input: &'static str,
    pub call_ended: &'static str,
    pub type_a_line: &'static str,
    pub type_a_number: &'static str,
    pub or_hang_up: &'static str,
    pub pick_scenario: &'static str,
    pub scenarios: &'static str,
    pub run_written: &'static str,
    pub stored: &'static str,
    pub not_stored: &'static str,
    pub saved_instead: &'static str,
    pub your_name: &'static str,
    pub default_name: &'static str,
    pub too_long: &'static str,
    pub unproctored: &'static str,
    pub ticket: &'static str,
    pub ticket_saved: &'static str,
    // exams
    pub exams: &'static str,
    pub no_exam_scenarios: &'static str,
    pub no_ladder: &'static str,
    pub top_of_ladder: &'static str,
    pub no_exam: &'static str,
    pub exam_mode: &'static str,
    pub not_an_exam: &'static str,
    pub exam_not_next: &'static str,
    pub exam_locked: &'static str,
    pub exam_attempt: &'static str,
    // the score
    pub score: &'static str,
    pub passed: &'static str,
    pub failed: &'static str,
    pub pass_mark: &'static str,
    pub adherence: &'static str,
    pub penalties: &'static str,
    pub outcome: &'static str,
    pub success: &'static str,
    pub failure: &'static str,
    pub critical_errors: &'static str,
    pub stages: &'static str,
    pub weight: &'static str,
    pub critical: &'static str,
    pub hit: &'static str,
    pub not_reached: &'static str,
    pub forbidden: &'static str,
    pub marked: &'static str,
    pub turn: &'static str,
    pub turns: &'static str,
    pub customer_said: &'static str,
    pub you: &'static str,
    pub not_scored: &'static str,
    pub diff: &'static str,
    pub receipt: &'static str,
    pub scorer: &'static str,
    pub content: &'static str,
}

const EN: Words = Words {
    mode: "mode",
    scenario_seed: "scenario {id} v{version}, seed {seed}",
    brief: "Brief",
    customer: "Customer",
    answer_hint: "Answer with a number; q hangs up.",
    answer_hint_recall: "Answer with a number or type the script line; q hangs up.",
    script: "script",
    end_of_input: "(end of input: hanging up)",
    call_ended: "— call ended —",
    type_a_line: "Type the line you would say (or q to hang up).",
    type_a_number: "Type a number from 1 to {n}",
    or_hang_up: "(or q to hang up)",
    pick_scenario: "Pick a scenario (1–{n}): ",
    scenarios: "Scenarios:",
    run_written: "run written to",
    stored: "stored as run {run} in the records of {name} (id {id})",
    not_stored: "warning: the call could not be stored in the records",
    saved_instead: "the run was saved to {path}; store it later with `callforge record`",
    unproctored: "no proctor: this exam attempt will count as practice (a proctor opens a real one with --proctor USER)",
    ticket: "exam ticket {ticket} signed by proctor {proctor}, good until {until}",
    ticket_saved: "store it before {until} with `callforge record {path} --trainee id:{id} --ticket {ticket}`, or the attempt is lost",
    exams: "Exams:",
    no_exam_scenarios: "none of the exam's scenarios is playable in the library; see `callforge validate`",
    no_ladder: "the scenario library has no ladder.ron, so there are no exams",
    top_of_ladder: "{name} is at the top of the ladder: there is no exam left to take",
    no_exam: "reaching {rung} needs no exam",
    exam_mode: "the exam for {rung} is sat in {mode} mode: use --mode {arg}",
    not_an_exam: "{scenario} is no exam in {mode} mode (see ladder.ron)",
    exam_not_next: "{scenario} is an exam for {rung}, which is not {name}'s next rung",
    exam_locked: "the exam {scenario} is locked after a failed attempt, until {until}",
    exam_attempt: "exam attempt for {rung}: {note}",
    your_name: "Your name (as the script says it): ",
    default_name: "Trainee",
    too_long: "That line is too long ({chars} characters; at most {max}). Type it again, shorter.",
    score: "Score",
    passed: "PASSED",
    failed: "FAILED",
    pass_mark: "pass mark",
    adherence: "adherence",
    penalties: "penalties",
    outcome: "call outcome",
    success: "success",
    failure: "failure",
    critical_errors: "Critical errors",
    stages: "Stages",
    weight: "weight",
    critical: "critical",
    hit: "hit",
    not_reached: "not reached",
    forbidden: "Forbidden phrases",
    marked: "Marked replies",
    turn: "turn",
    turns: "Turns",
    customer_said: "customer",
    you: "you",
    not_scored: "not scored",
    diff: "diff",
    receipt: "receipt",
    scorer: "scorer",
    content: "content",
};

const RU: Words = Words {
    mode: "режим",
    scenario_seed: "сценарий {id} v{version}, зерно {seed}",
    brief: "Задача",
    customer: "Клиент",
    answer_hint: "Отвечайте номером реплики; q — положить трубку.",
    answer_hint_recall: "Отвечайте номером или наберите реплику скрипта; q — положить трубку.",
    script: "скрипт",
    end_of_input: "(ввод закончился: трубка положена)",
    call_ended: "— звонок окончен —",
    type_a_line: "Наберите реплику, которую сказали бы (или q, чтобы положить трубку).",
    type_a_number: "Введите число от 1 до {n}",
    or_hang_up: "(или q, чтобы положить трубку)",
    pick_scenario: "Выберите сценарий (1–{n}): ",
    scenarios: "Сценарии:",
    run_written: "запись звонка сохранена в",
    stored: "сохранено как звонок {run} в записях {name} (id {id})",
    not_stored: "внимание: звонок не удалось сохранить в записях",
    saved_instead: "запись сохранена в {path}; сохраните её позже командой `callforge record`",
    unproctored: "нет экзаменатора: эта попытка экзамена засчитается как тренировка (настоящую открывает экзаменатор: --proctor USER)",
    ticket: "экзаменационный билет {ticket} подписан экзаменатором {proctor}, действует до {until}",
    ticket_saved: "сохраните её до {until} командой `callforge record {path} --trainee id:{id} --ticket {ticket}`, иначе попытка пропадёт",
    exams: "Экзамены:",
    no_exam_scenarios: "ни один сценарий экзамена не загружается из библиотеки; см. `callforge validate`",
    no_ladder: "в библиотеке сценариев нет ladder.ron, поэтому экзаменов нет",
    top_of_ladder: "{name} — на верхней ступени лестницы: экзаменов больше нет",
    no_exam: "для ступени «{rung}» экзамен не нужен",
    exam_mode: "экзамен на ступень «{rung}» сдаётся в режиме «{mode}»: укажите --mode {arg}",
    not_an_exam: "{scenario} — не экзамен в режиме «{mode}» (см. ladder.ron)",
    exam_not_next: "{scenario} — экзамен на ступень «{rung}», а она не следующая для {name}",
    exam_locked: "экзамен {scenario} закрыт после неудачной попытки до {until}",
    exam_attempt: "попытка экзамена на ступень «{rung}»: {note}",
    your_name: "Ваше имя (как его говорят по скрипту): ",
    default_name: "Стажёр",
    too_long: "Слишком длинная реплика ({chars} знаков, можно не больше {max}). Наберите её короче.",
    score: "Балл",
    passed: "СДАНО",
    failed: "НЕ СДАНО",
    pass_mark: "проходной балл",
    adherence: "следование скрипту",
    penalties: "штрафы",
    outcome: "итог звонка",
    success: "успех",
    failure: "неудача",
    critical_errors: "Критические ошибки",
    stages: "Этапы",
    weight: "вес",
    critical: "критический",
    hit: "попаданий",
    not_reached: "не дошли",
    forbidden: "Запрещённые фразы",
    marked: "Отмеченные ответы",
    turn: "реплика",
    turns: "Реплики",
    customer_said: "клиент",
    you: "вы",
    not_scored: "не оценивается",
    diff: "сравнение",
    receipt: "квитанция",
    scorer: "версия оценки",
    content: "содержимое",
};

/// The terminal's words in a language.
pub fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::En => &EN,
        Lang::Ru => &RU,
    }
}

/// The language of the terminal itself (`LC_ALL`, `LC_MESSAGES` or `LANG` starting with `ru`), for
/// what is said before a scenario is chosen.
pub fn terminal_lang() -> Lang {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
        .map_or(Lang::En, |v| Lang::from_code(&v))
}

/// Fills `{name}` placeholders of a template.
pub fn fill(template: &str, values: &[(&str, &dyn std::fmt::Display)]) -> String {
    let mut out = template.to_owned();
    for (k, v) in values {
        out = out.replace(&format!("{{{k}}}"), &v.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_fill_their_templates() {
        for lang in [Lang::En, Lang::Ru] {
            let w = words(lang);
            let s = fill(w.stored, &[("run", &3), ("name", &"Ольга"), ("id", &7)]);
            assert!(s.contains('3') && s.contains("Ольга") && s.contains('7') && !s.contains('{'), "{s}");
            assert!(!fill(w.type_a_number, &[("n", &4)]).contains('{'));
        }
        assert_eq!(words(Lang::Ru).call_ended, "— звонок окончен —");
        for lang in [Lang::En, Lang::Ru] {
            let w = words(lang);
            let filled = [
                fill(w.exam_mode, &[("rung", &"R"), ("mode", &"M"), ("arg", &"recall")]),
                fill(w.exam_not_next, &[("scenario", &"s"), ("rung", &"R"), ("name", &"N")]),
                fill(w.exam_locked, &[("scenario", &"s"), ("until", &"t")]),
                fill(w.exam_attempt, &[("rung", &"R"), ("note", &"n")]),
                fill(w.not_an_exam, &[("scenario", &"s"), ("mode", &"M")]),
                fill(w.top_of_ladder, &[("name", &"N")]),
                fill(w.no_exam, &[("rung", &"R")]),
            ];
            assert!(filled.iter().all(|f| !f.contains('{')), "{filled:?}");
        }
    }
}
