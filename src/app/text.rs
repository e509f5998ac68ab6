//! Every interface string, once per language. Screens ask for `strings(lang)` and never spell text themselves.

use crate::domain::feedback::Lang;
use crate::domain::model::{Difficulty, Mode, Role};

/// The interface in one language.
#[derive(Debug)]
pub struct Strings {
    pub app_title: &'static str,
    pub start_title: &'static str,
    pub start_pick: &'static str,
    pub start_new: &'static str,
    pub start_new_hint: &'static str,
    pub start_language: &'static str,
    pub start_keys: &'static str,
    pub start_empty_name: &'static str,
    pub volume: &'static str,
    pub home_rung: &'static str,
    pub home_next: &'static str,
    pub home_top: &'static str,
    pub home_practice_runs: &'static str,
    pub home_exams: &'static str,
    pub home_eligible: &'static str,
    pub home_not_eligible: &'static str,
    pub home_keys: &'static str,
    /// "{n} more practice calls as {role}" before the number.
    pub home_more_practice: &'static str,
    pub home_pass_exam: &'static str,
    pub mode_practice: &'static str,
    pub mode_exam: &'static str,
    pub mode_recall: &'static str,
    pub mode_practice_hint: &'static str,
    pub mode_exam_hint: &'static str,
    pub mode_recall_hint: &'static str,
    pub picker_title: &'static str,
    pub picker_exam_title: &'static str,
    pub picker_keys: &'static str,
    pub picker_empty: &'static str,
    pub picker_broken: &'static str,
    pub picker_best: &'static str,
    pub picker_no_runs: &'static str,
    pub picker_locked: &'static str,
    pub call_patience: &'static str,
    pub call_script: &'static str,
    pub call_your_reply: &'static str,
    pub call_type_hint: &'static str,
    pub call_hang_up: &'static str,
    pub call_typing: &'static str,
    pub call_ended: &'static str,
    pub call_send: &'static str,
    pub results_passed: &'static str,
    pub results_failed: &'static str,
    pub results_critical: &'static str,
    pub results_stages: &'static str,
    pub results_turns: &'static str,
    pub results_not_reached: &'static str,
    pub results_you: &'static str,
    pub results_retry: &'static str,
    pub results_replay: &'static str,
    pub results_back: &'static str,
    pub results_saved: &'static str,
    pub results_not_saved: &'static str,
    pub results_penalties: &'static str,
    pub library_errors: &'static str,
    pub back: &'static str,
    /// Generator, Closer, AccountManager.
    pub roles: [&'static str; 3],
    /// Easy, Medium, Hard.
    pub difficulties: [&'static str; 3],
}

pub const EN: Strings = Strings {
    app_title: "callforge — sales call trainer",
    start_title: "Who is training today?",
    start_pick: "Pick your profile",
    start_new: "New profile: type your name and press Enter",
    start_new_hint: "Your name",
    start_language: "Interface language",
    start_keys: "↑↓ choose · Enter start · F2 Русский/English · F3/F4 volume",
    start_empty_name: "Type a name first.",
    volume: "Volume",
    home_rung: "Your rung",
    home_next: "Next rung",
    home_top: "You are at the top of the ladder.",
    home_practice_runs: "Practice runs",
    home_exams: "Exam scenarios passed",
    home_eligible: "Eligible for promotion: ask your manager to approve it.",
    home_not_eligible: "Still to do",
    home_keys: "1 Practice · 2 Exam · 3 Recall · Esc change profile",
    home_more_practice: "more practice calls:",
    home_pass_exam: "pass the exam",
    mode_practice: "Practice",
    mode_exam: "Exam",
    mode_recall: "Recall",
    mode_practice_hint: "Choose replies; the script is shown",
    mode_exam_hint: "Next rung's scenarios, no hints",
    mode_recall_hint: "Type each line from memory",
    picker_title: "Choose a customer",
    picker_exam_title: "Exam: choose a scenario",
    picker_keys: "↑↓ choose · Enter call · Esc back",
    picker_empty: "No scenarios for this role yet.",
    picker_broken: "broken",
    picker_best: "best",
    picker_no_runs: "not played yet",
    picker_locked: "locked after a failed attempt until",
    call_patience: "Patience",
    call_script: "Script",
    call_your_reply: "Your reply",
    call_type_hint: "Type the script line from memory, then press Enter",
    call_hang_up: "Hang up (Esc)",
    call_typing: "is typing…",
    call_ended: "The call has ended.",
    call_send: "Send (Enter)",
    results_passed: "PASSED",
    results_failed: "FAILED",
    results_critical: "Critical errors",
    results_stages: "Script stages",
    results_turns: "Turn by turn",
    results_not_reached: "not reached",
    results_you: "You",
    results_retry: "R  Retry (new customer mood)",
    results_replay: "P  Replay (same call)",
    results_back: "Esc  Back",
    results_saved: "Saved to your records",
    results_not_saved: "Not saved to the records",
    results_penalties: "penalties",
    library_errors: "Scenario files with errors",
    back: "Back",
    roles: ["Lead generator", "Closer", "Account manager"],
    difficulties: ["easy", "medium", "hard"],
};

pub const RU: Strings = Strings {
    app_title: "callforge — тренажёр продаж",
    start_title: "Кто сегодня тренируется?",
    start_pick: "Выберите профиль",
    start_new: "Новый профиль: введите имя и нажмите Enter",
    start_new_hint: "Ваше имя",
    start_language: "Язык интерфейса",
    start_keys: "↑↓ выбор · Enter начать · F2 Русский/English · F3/F4 громкость",
    start_empty_name: "Сначала введите имя.",
    volume: "Громкость",
    home_rung: "Ваша ступень",
    home_next: "Следующая ступень",
    home_top: "Вы на вершине лестницы.",
    home_practice_runs: "Тренировочных звонков",
    home_exams: "Экзаменов сдано",
    home_eligible: "Можно повышать: попросите руководителя подтвердить.",
    home_not_eligible: "Осталось",
    home_keys: "1 Тренировка · 2 Экзамен · 3 По памяти · Esc сменить профиль",
    home_more_practice: "ещё тренировочных звонков:",
    home_pass_exam: "сдать экзамен",
    mode_practice: "Тренировка",
    mode_exam: "Экзамен",
    mode_recall: "По памяти",
    mode_practice_hint: "Выбор ответа, скрипт на экране",
    mode_exam_hint: "Сценарии следующей ступени, без подсказок",
    mode_recall_hint: "Реплики скрипта набираются по памяти",
    picker_title: "Выберите клиента",
    picker_exam_title: "Экзамен: выберите сценарий",
    picker_keys: "↑↓ выбор · Enter позвонить · Esc назад",
    picker_empty: "Для этой роли пока нет сценариев.",
    picker_broken: "с ошибкой",
    picker_best: "лучший",
    picker_no_runs: "ещё не пройден",
    picker_locked: "закрыт после неудачной попытки до",
    call_patience: "Терпение",
    call_script: "Скрипт",
    call_your_reply: "Ваш ответ",
    call_type_hint: "Наберите реплику скрипта по памяти и нажмите Enter",
    call_hang_up: "Положить трубку (Esc)",
    call_typing: "печатает…",
    call_ended: "Звонок завершён.",
    call_send: "Отправить (Enter)",
    results_passed: "СДАНО",
    results_failed: "НЕ СДАНО",
    results_critical: "Критические ошибки",
    results_stages: "Этапы скрипта",
    results_turns: "По репликам",
    results_not_reached: "не дошли",
    results_you: "Вы",
    results_retry: "R  Ещё раз (другой настрой клиента)",
    results_replay: "P  Повторить (тот же звонок)",
    results_back: "Esc  Назад",
    results_saved: "Сохранено в вашей истории",
    results_not_saved: "Не сохранено в истории",
    results_penalties: "штрафы",
    library_errors: "Файлы сценариев с ошибками",
    back: "Назад",
    roles: ["Лидогенератор", "Клоузер", "Аккаунт-менеджер"],
    difficulties: ["легко", "средне", "сложно"],
};

/// The strings of a language.
pub fn strings(lang: Lang) -> &'static Strings {
    match lang {
        Lang::En => &EN,
        Lang::Ru => &RU,
    }
}

impl Strings {
    pub fn mode(&self, mode: Mode) -> &'static str {
        match mode {
            Mode::Practice => self.mode_practice,
            Mode::Exam => self.mode_exam,
            Mode::Recall => self.mode_recall,
        }
    }

    pub fn role(&self, role: Role) -> &'static str {
        self.roles[role as usize]
    }

    pub fn difficulty(&self, d: Difficulty) -> &'static str {
        self.difficulties[d as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_fill_every_string() {
        // Debug prints every field; an empty one would show as "".
        for s in [&EN, &RU] {
            assert!(!format!("{s:?}").contains("\"\""));
        }
        assert_ne!(EN.mode(Mode::Recall), RU.mode(Mode::Recall));
        assert_eq!(strings(Lang::Ru).role(Role::Closer), "Клоузер");
    }
}
