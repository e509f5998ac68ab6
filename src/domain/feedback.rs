//! The words callforge itself says, in English and Russian: feedback, reasons and endings, and the
//! names of rungs and modes. The scenario's language picks a score's words, so a Russian call gets Russian feedback.

use super::model::{Mode, Role};

/// A language callforge speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    Ru,
}

impl Lang {
    /// `ru…` is Russian; anything else is English.
    pub fn from_code(code: &str) -> Lang {
        if code.trim().to_lowercase().starts_with("ru") { Lang::Ru } else { Lang::En }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
        }
    }

    pub fn hung_up(self) -> &'static str {
        match self {
            Lang::En => "Trainee hung up",
            Lang::Ru => "Стажёр положил трубку",
        }
    }

    /// The trainee hung up where the script expected a stage.
    pub fn hung_up_at(self, stage_title: &str, line: &str) -> String {
        match self {
            Lang::En => format!("You hung up. The script expects «{stage_title}» here: “{line}”"),
            Lang::Ru => format!("Вы положили трубку. Здесь по скрипту нужен этап «{stage_title}»: «{line}»"),
        }
    }

    pub fn patience_out(self) -> &'static str {
        match self {
            Lang::En => "Customer ran out of patience",
            Lang::Ru => "У клиента кончилось терпение",
        }
    }

    /// The label of a finished drill exercise.
    pub fn drilled(self) -> &'static str {
        match self {
            Lang::En => "Drill answered",
            Lang::Ru => "Упражнение выполнено",
        }
    }

    pub fn looped(self) -> &'static str {
        match self {
            Lang::En => "The dialogue went round in circles",
            Lang::Ru => "Диалог зациклился",
        }
    }

    /// A choice of the expected stage.
    pub fn on_script(self, stage_title: &str) -> String {
        match self {
            Lang::En => format!("By the script: «{stage_title}»."),
            Lang::Ru => format!("По скрипту: «{stage_title}»."),
        }
    }

    /// A choice of another stage, or none, where the script expects one.
    pub fn off_script(self, stage_title: &str, line: &str) -> String {
        match self {
            Lang::En => format!("The script expects «{stage_title}» here: “{line}”"),
            Lang::Ru => format!("Здесь по скрипту нужен этап «{stage_title}»: «{line}»"),
        }
    }

    /// A recalled line close enough to the script.
    pub fn recall_hit(self, q: f64) -> String {
        match self {
            Lang::En => format!("Close to the script (similarity {q:.2})."),
            Lang::Ru => format!("Близко к скрипту (сходство {q:.2})."),
        }
    }

    /// A recalled line too far from the script.
    pub fn recall_miss(self, q: f64, min: f64, line: &str) -> String {
        match self {
            Lang::En => format!("Too far from the script (similarity {q:.2}, {min:.2} needed). The line: “{line}”"),
            Lang::Ru => format!("Слишком далеко от скрипта (сходство {q:.2}, нужно {min:.2}). Реплика: «{line}»"),
        }
    }

    pub fn missing_mentions(self, phrases: &[String]) -> String {
        let list = phrases.iter().map(|p| format!("«{p}»")).collect::<Vec<_>>().join(", ");
        match self {
            Lang::En => format!("Not mentioned: {list}."),
            Lang::Ru => format!("Не прозвучало: {list}."),
        }
    }

    pub fn forbidden_said(self, phrase: &str, penalty: u32) -> String {
        match self {
            Lang::En => format!("Forbidden phrase «{phrase}»: −{penalty}."),
            Lang::Ru => format!("Запрещённая фраза «{phrase}»: −{penalty}."),
        }
    }

    /// A turn where the script expects nothing in particular.
    pub fn free_turn(self) -> &'static str {
        match self {
            Lang::En => "No script stage is expected here.",
            Lang::Ru => "Здесь скрипт ничего не требует.",
        }
    }

    pub fn critical_stage(self, stage_title: &str) -> String {
        match self {
            Lang::En => format!("Critical stage missed: «{stage_title}»"),
            Lang::Ru => format!("Пропущен критический этап: «{stage_title}»"),
        }
    }

    pub fn critical_phrase(self, phrase: &str) -> String {
        match self {
            Lang::En => format!("Critical forbidden phrase said: «{phrase}»"),
            Lang::Ru => format!("Сказана критически запрещённая фраза: «{phrase}»"),
        }
    }

    pub fn passed(self, score: u32, pass_mark: u32) -> String {
        match self {
            Lang::En => format!("Passed: {score} of 100, pass mark {pass_mark}, no critical error."),
            Lang::Ru => format!("Сдано: {score} из 100, проходной балл {pass_mark}, критических ошибок нет."),
        }
    }

    pub fn failed_low(self, score: u32, pass_mark: u32) -> String {
        match self {
            Lang::En => format!("Failed: {score} of 100 is below the pass mark {pass_mark}."),
            Lang::Ru => format!("Не сдано: {score} из 100 ниже проходного балла {pass_mark}."),
        }
    }

    pub fn failed_critical(self, first: &str) -> String {
        match self {
            Lang::En => format!("Failed on a critical error: {first}."),
            Lang::Ru => format!("Не сдано из-за критической ошибки: {first}."),
        }
    }

    /// A typed line that says the opposite of the script (version 2).
    pub fn negated(self) -> &'static str {
        match self {
            Lang::En => "This says the opposite of the script: a «not» the line does not have.",
            Lang::Ru => "Сказано наоборот: в реплике скрипта нет этого «не».",
        }
    }

    /// A reply the author gave a penalty.
    pub fn reply_penalty(self, penalty: u32) -> String {
        match self {
            Lang::En => format!("This reply costs −{penalty}."),
            Lang::Ru => format!("Этот ответ стоит −{penalty}."),
        }
    }

    /// A reply the author marked as a critical error, with their reason.
    pub fn critical_reply(self, reason: &str) -> String {
        match self {
            Lang::En => format!("Critical mistake: {reason}"),
            Lang::Ru => format!("Критическая ошибка: {reason}"),
        }
    }

    /// The call ended in failure after a mistake, before a critical stage was reached.
    pub fn lost_before(self, stage_title: &str) -> String {
        match self {
            Lang::En => format!("The call was lost before «{stage_title}»"),
            Lang::Ru => format!("Звонок потерян до этапа «{stage_title}»"),
        }
    }
}

/// The names of the rungs and the modes, as the window and the reports show them.
impl Lang {
    pub fn role_name(self, role: Role) -> &'static str {
        match (self, role) {
            (Lang::En, Role::Generator) => "Lead generator",
            (Lang::En, Role::Closer) => "Closer",
            (Lang::En, Role::AccountManager) => "Account manager",
            (Lang::Ru, Role::Generator) => "Лидогенератор",
            (Lang::Ru, Role::Closer) => "Клоузер",
            (Lang::Ru, Role::AccountManager) => "Аккаунт-менеджер",
        }
    }

    pub fn mode_name(self, mode: Mode) -> &'static str {
        match (self, mode) {
            (Lang::En, Mode::Practice) => "Practice",
            (Lang::En, Mode::Exam) => "Exam",
            (Lang::En, Mode::Recall) => "Recall",
            (Lang::Ru, Mode::Practice) => "Тренировка",
            (Lang::Ru, Mode::Exam) => "Экзамен",
            (Lang::Ru, Mode::Recall) => "По памяти",
            (Lang::En, Mode::Drill) => "Drill",
            (Lang::Ru, Mode::Drill) => "Упражнение",
        }
    }
}

/// How a script sheet shows `{trainee}`: where the trainee says their own name.
impl Lang {
    pub fn trainee_placeholder(self) -> &'static str {
        match self {
            Lang::En => "[your name]",
            Lang::Ru => "[ваше имя]",
        }
    }
}
