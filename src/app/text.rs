//! Every interface string, once per language. Screens ask for `strings(lang)` and never spell text themselves.

use crate::domain::feedback::Lang;
use crate::domain::model::{Difficulty, Mode, Role};

mod en;
mod ru;

pub use en::EN;
pub use ru::RU;

/// The interface in one language.
#[derive(Debug)]
pub struct Strings {
    /// The language these strings are in; it names the rungs and modes (`Lang::role_name`, `Lang::mode_name`).
    pub lang: Lang,
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
    /// Before the receipt: the scorer version, the scenario and its content hash, callforge's version.
    pub results_scorer: &'static str,
    pub library_errors: &'static str,
    pub back: &'static str,
    pub start_manager: &'static str,
    pub manager_login: &'static str,
    pub manager_user: &'static str,
    pub manager_password: &'static str,
    pub manager_login_keys: &'static str,
    pub manager_refused: &'static str,
    /// While a password is checked.
    pub manager_checking: &'static str,
    /// While the team's data is gathered.
    pub manager_loading: &'static str,
    pub manager_title: &'static str,
    pub manager_team: &'static str,
    /// Trainee, rung, runs this week, average, best, last activity, eligible.
    pub manager_columns: [&'static str; 9],
    pub manager_yes: &'static str,
    pub manager_no: &'static str,
    pub manager_no_trainees: &'static str,
    pub manager_table_keys: &'static str,
    /// Before each script's agreement with its trainer's calibration set.
    pub manager_calibration: &'static str,
    /// After the title of a scenario whose file has errors now: the last good version is played.
    pub picker_stale: &'static str,
    pub manager_heatmap: &'static str,
    pub manager_back_keys: &'static str,
    pub manager_scores: &'static str,
    pub manager_strength: &'static str,
    pub manager_runs: &'static str,
    pub manager_trainee_keys: &'static str,
    pub manager_eligible_for: &'static str,
    pub manager_approve_hint: &'static str,
    pub manager_approve_button: &'static str,
    pub manager_approve: &'static str,
    pub manager_approve_keys: &'static str,
    pub manager_not_eligible: &'static str,
    pub manager_promoted: &'static str,
    /// The proctor's sign-in before an exam.
    pub proctor_title: &'static str,
    /// Says why a proctor signs in, before the trainee's name and the scenario.
    pub proctor_explain: &'static str,
    pub proctor_user: &'static str,
    pub proctor_keys: &'static str,
    pub proctor_refused: &'static str,
    /// While the ticket is issued.
    pub proctor_checking: &'static str,
    /// Without records (or a profile in them), no ticket can be issued.
    pub proctor_no_records: &'static str,
    /// On the results of an exam-mode call stored without a ticket.
    pub results_practice_only: &'static str,
    /// Easy, Medium, Hard.
    pub difficulties: [&'static str; 3],
    /// After the customer's name while their line plays.
    pub call_speaking: &'static str,
    pub call_skip_hint: &'static str,
    pub call_skip: &'static str,
    pub sound_effect: &'static str,
    pub sound_on: &'static str,
    pub sound_off: &'static str,
    pub sound_muted: &'static str,
    pub sound_keys: &'static str,
    /// On the results screen: the digit keys and ▶ buttons play a customer line again.
    pub results_listen: &'static str,
    /// The home screen's button to the script screen, and its hint.
    pub home_script: &'static str,
    pub home_script_hint: &'static str,
    /// The script screen: its title (before the role), keys, and the words of its stages.
    pub script_title: &'static str,
    pub script_keys: &'static str,
    pub script_weight: &'static str,
    pub script_critical: &'static str,
    pub script_critical_hint: &'static str,
    /// The legend's word for the highlighted must-mention phrases, and what they mean.
    pub script_highlighted: &'static str,
    pub script_must_hint: &'static str,
    pub script_must: &'static str,
    /// Before must-mention phrases the line does not hold word for word.
    pub script_not_in_line: &'static str,
    pub script_variants: &'static str,
    pub script_forbidden: &'static str,
    pub script_points: &'static str,
    /// Before the number of scenarios that follow a script.
    pub script_scenarios: &'static str,
    pub script_no_scenarios: &'static str,
    pub script_none: &'static str,
    /// The role has no script in the interface language; another language's is shown.
    pub script_fallback: &'static str,
    // Drills: the home screen's "what to do next" panel and the drill screen. `{n}`, `{m}`, `{avg}`
    // are replaced by numbers.
    pub next_title: &'static str,
    pub next_loading: &'static str,
    /// `{n}` stages due, about `{m}` minutes.
    pub next_due: &'static str,
    /// After the first due stages: `{n}` more.
    pub next_more: &'static str,
    pub next_nothing_due: &'static str,
    pub next_drill: &'static str,
    pub next_best_call: &'static str,
    pub next_best_hint: &'static str,
    pub next_call: &'static str,
    pub next_no_call: &'static str,
    /// Without records (or a profile in them): drills are not stored.
    pub next_not_stored: &'static str,
    pub drill_title: &'static str,
    /// The drill screen's title for the first day's Recall of one stage.
    pub drill_recall_title: &'static str,
    pub first_day_title: &'static str,
    /// "{n} of 4 done".
    pub first_day_count: &'static str,
    /// The first day's steps, in order (`first_day::Step::ALL`).
    pub first_day_steps: [&'static str; 4],
    /// What each step is, in a few words.
    pub first_day_hints: [&'static str; 4],
    pub drill_loading: &'static str,
    pub drill_stage: &'static str,
    pub drill_hint: &'static str,
    pub drill_your_line: &'static str,
    pub drill_by_script: &'static str,
    pub drill_next: &'static str,
    pub drill_finish: &'static str,
    pub drill_done: &'static str,
    /// `{n}` exercises, average score `{avg}`.
    pub drill_summary: &'static str,
    pub drill_nothing_due: &'static str,
    pub drill_every_stage: &'static str,
    pub drill_no_exercises: &'static str,
    pub drill_not_stored: &'static str,
    pub drill_home: &'static str,
    pub drill_keys: &'static str,
    pub home_assigned: &'static str,
    pub home_assigned_more: &'static str,
    pub home_assigned_start: &'static str,
    pub home_due: &'static str,
    pub manager_assignments: &'static str,
    pub manager_no_assignments: &'static str,
    pub manager_assign_title: &'static str,
    pub manager_assign_what: &'static str,
    pub manager_assign_any_stage: &'static str,
    pub manager_assign_stage: &'static str,
    pub manager_assign_mode: &'static str,
    pub manager_assign_count: &'static str,
    pub manager_assign_due: &'static str,
    pub manager_assign_min: &'static str,
    pub manager_assign_none: &'static str,
    pub manager_assign_keys: &'static str,
    pub manager_assigned: &'static str,
    pub manager_drills: &'static str,
    pub db_password_title: &'static str,
    pub db_password_hint: &'static str,
    pub db_password_connecting: &'static str,
    pub db_password_keys: &'static str,
    pub progress_title: &'static str,
    pub progress_scores: &'static str,
    pub progress_axis_score: &'static str,
    pub progress_axis_calls: &'static str,
    pub progress_no_calls: &'static str,
    pub progress_stages: &'static str,
    pub progress_no_stages: &'static str,
    pub progress_legend: &'static str,
    pub progress_no_records: &'static str,
    pub progress_keys: &'static str,
    pub manager_no_calls: &'static str,
    pub manager_no_stages: &'static str,
    pub manager_calls_axis: &'static str,
    pub manager_drills_aside: &'static str,
}

/// The strings of a language.
pub fn strings(lang: Lang) -> &'static Strings {
    match lang {
        Lang::En => &EN,
        Lang::Ru => &RU,
    }
}

impl Strings {
    pub fn mode(&self, mode: Mode) -> &'static str {
        self.lang.mode_name(mode)
    }

    pub fn role(&self, role: Role) -> &'static str {
        self.lang.role_name(role)
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
