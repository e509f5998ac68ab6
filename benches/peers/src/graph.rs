//! The generated dialogue graph and its text in each runtime's own format.

use std::fmt::Write;

/// How many reply choices every customer line offers.
pub const CHOICES: usize = 3;

/// How many stages the generated script has; line `i` expects stage `i % STAGES`.
pub const STAGES: usize = 4;

/// A tiny portable generator (xorshift64), for the graph and for the sequence of choices.
#[derive(Debug, Clone)]
pub struct XorShift(u64);

impl XorShift {
    pub fn new(seed: u64) -> Self {
        XorShift(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
}

/// The choice indices every runtime is fed, in order: xorshift seeded with `seed`, each value % 3.
pub fn choice_sequence(seed: u64, turns: usize) -> Vec<u8> {
    let mut rng = XorShift::new(seed);
    (0..turns).map(|_| (rng.next_u64() % CHOICES as u64) as u8).collect()
}

/// Where a choice leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Line(u32),
    End,
}

/// `n` customer lines `n0 … n{n-1}`, each with three choices, and one End.
///
/// Choice 0 of line `i` leads to line `i + 1` (a ring, so every line is reachable from `n0` and
/// every line reaches an End), choice 1 to a pseudo-random line, and choice 2 to a pseudo-random
/// line or, for about one line in twenty (and always for the last), to the End.
#[derive(Debug, Clone)]
pub struct Graph {
    pub targets: Vec<[Target; CHOICES]>,
}

impl Graph {
    pub fn generate(n: usize, seed: u64) -> Graph {
        assert!(n >= 2, "the graph needs at least two lines");
        let mut rng = XorShift::new(seed);
        let mut targets = Vec::with_capacity(n);
        for i in 0..n {
            let ring = Target::Line(((i + 1) % n) as u32);
            let jump = Target::Line((rng.next_u64() % n as u64) as u32);
            let ends = i == n - 1 || rng.next_u64().is_multiple_of(20);
            let third = if ends { Target::End } else { Target::Line((rng.next_u64() % n as u64) as u32) };
            targets.push([ring, jump, third]);
        }
        Graph { targets }
    }

    pub fn len(&self) -> usize {
        self.targets.len()
    }

    /// The node a walk starts at.
    pub fn start(&self) -> u32 {
        0
    }

    /// The walk the graph prescribes for a sequence of choices: the line after each turn, `None`
    /// where the turn ended the call (the next turn starts again at `n0`).
    pub fn walk(&self, choices: &[u8]) -> Vec<Option<u32>> {
        let mut at = self.start();
        choices
            .iter()
            .map(|&k| match self.targets[at as usize][k as usize] {
                Target::Line(next) => {
                    at = next;
                    Some(next)
                }
                Target::End => {
                    at = self.start();
                    None
                }
            })
            .collect()
    }
}

/// The customer's line at node `i`; every runtime's text carries the node name, so the walks can
/// be compared.
pub fn say(i: usize) -> String {
    format!("Line n{i}, so what do you offer today?")
}

/// The text of choice `k` at node `i`.
pub fn reply(i: usize, k: usize) -> String {
    format!("Reply {} at n{i}, with the script words", ["one", "two", "three"][k])
}

/// The node number in a line produced by [`say`].
pub fn node_in(text: &str) -> Option<u32> {
    let rest = &text[text.find("Line n")? + "Line n".len()..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Where the script file is loaded from.
pub const SCRIPT_PATH: &str = "scripts/s.ron";
/// Where the scenario file is loaded from; the id `gen/g` matches the file name.
pub const SCENARIO_PATH: &str = "gen/g.ron";

/// The callforge script file the scenario follows.
pub fn callforge_script() -> String {
    let mut s = String::from(
        "Script(\n    id: \"s\",\n    version: 1,\n    role: Generator,\n    title: \"Generated script\",\n    stages: [\n",
    );
    for i in 0..STAGES {
        let _ = writeln!(
            s,
            "        Stage(id: \"s{i}\", title: \"Stage {i}\", line: \"The line of stage {i}, with the script words.\", must_mention: [\"script words\"], weight: 25),"
        );
    }
    s.push_str("    ],\n)\n");
    s
}

/// The callforge scenario file: the graph as authors write it.
pub fn callforge_scenario(g: &Graph) -> String {
    let mut s = format!(
        "Scenario(\n    id: \"gen/g\",\n    version: 1,\n    title: \"Generated, {} lines\",\n    role: Generator,\n    language: \"en\",\n    script: \"s\",\n    brief: \"A generated customer.\",\n    persona: Persona(name: \"Gen\", position: \"Buyer\", company: \"Bench\", patience: 3),\n    start: \"n0\",\n    nodes: {{\n",
        g.len()
    );
    for (i, targets) in g.targets.iter().enumerate() {
        let expect = i % STAGES;
        let _ = write!(
            s,
            "        \"n{i}\": Line(\n            say: [\"{}\"],\n            expect: Some(\"s{expect}\"),\n            choices: [\n",
            say(i)
        );
        for (k, target) in targets.iter().enumerate() {
            let next = match target {
                Target::Line(t) => format!("n{t}"),
                Target::End => "end".to_owned(),
            };
            let stage = match k {
                0 => format!("stage: Some(\"s{expect}\"), "),
                1 => format!("stage: Some(\"s{}\"), ", (expect + 1) % STAGES),
                _ => String::new(),
            };
            let _ = writeln!(s, "                Choice(text: \"{}\", {stage}next: \"{next}\"),", reply(i, k));
        }
        s.push_str("            ],\n        ),\n");
    }
    s.push_str("        \"end\": End(outcome: Success, label: \"Call over\"),\n    },\n)\n");
    s
}

/// The same graph as compiled ink JSON (ink version 21), the form bladeink plays.
///
/// It is, value for value, what `bladeink-compiler` 2.1.0 (the runtime's companion compiler) writes
/// for the ink source
///
/// ```text
/// -> n0
/// === n0 ===
/// Line n0, so what do you offer today?
/// + [Reply one at n0, with the script words]
///     -> n1
/// + [Reply two at n0, with the script words]
///     -> n57
/// + [Reply three at n0, with the script words]
///     -> END
/// ```
///
/// with sticky (`+`) choices, since a walk comes back to a knot many times.
pub fn ink_json(g: &Graph) -> String {
    let mut s =
        String::from("{\"inkVersion\":21,\"root\":[[{\"->\":\"n0\"},[\"done\",{\"#n\":\"g-0\"}],null],\"done\",{");
    for (i, targets) in g.targets.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        let _ = write!(s, "\"n{i}\":[\"^{}\",\"\\n\",", say(i));
        for k in 0..CHOICES {
            // The compiler writes the shorter of the global and the relative path.
            let (global, relative) = (format!("n{i}.c-{k}"), format!(".^.c-{k}"));
            let path = if relative.len() < global.len() { relative } else { global };
            let _ = write!(s, "\"ev\",\"str\",\"^{}\",\"/str\",\"/ev\",{{\"*\":\"{path}\",\"flg\":4}},", reply(i, k));
        }
        s.push('{');
        for (k, target) in targets.iter().enumerate() {
            match target {
                Target::Line(t) => {
                    // A divert back to its own knot is shorter as a relative path.
                    let global = format!("n{t}");
                    let path = if *t as usize == i && global.len() > 4 { ".^.^".to_owned() } else { global };
                    let _ = write!(s, "\"c-{k}\":[\"\\n\",{{\"->\":\"{path}\"}},{{\"#f\":5}}],");
                }
                Target::End => {
                    let _ = write!(s, "\"c-{k}\":[\"\\n\",\"end\",{{\"#f\":5}}],");
                }
            }
        }
        s.push_str("\"#f\":1}]");
    }
    s.push_str("}],\"listDefs\":{}}");
    s
}

/// The same graph as ink source, for `bladeink-compiler`.
pub fn ink_source(g: &Graph) -> String {
    let mut s = String::from("-> n0\n");
    for (i, targets) in g.targets.iter().enumerate() {
        let _ = writeln!(s, "=== n{i} ===\n{}", say(i));
        for (k, target) in targets.iter().enumerate() {
            let _ = writeln!(s, "+ [{}]", reply(i, k));
            match target {
                Target::Line(t) => {
                    let _ = writeln!(s, "    -> n{t}");
                }
                Target::End => s.push_str("    -> END\n"),
            }
        }
    }
    s
}

/// The same graph as a Yarn Spinner file: one node per line, `<<jump>>` in each option, `<<stop>>`
/// for the End.
pub fn yarn(g: &Graph) -> String {
    let mut s = String::new();
    for (i, targets) in g.targets.iter().enumerate() {
        let _ = writeln!(s, "title: n{i}\n---\nCustomer: {}", say(i));
        for (k, target) in targets.iter().enumerate() {
            let _ = writeln!(s, "-> {}", reply(i, k));
            match target {
                Target::Line(t) => {
                    let _ = writeln!(s, "    <<jump n{t}>>");
                }
                Target::End => s.push_str("    <<stop>>\n"),
            }
        }
        s.push_str("===\n");
    }
    s
}

/// The same graph as a Replique file: one node per line, `=>` in each choice, `=> END` for the End.
pub fn replique(g: &Graph) -> String {
    let mut s = String::new();
    for (i, targets) in g.targets.iter().enumerate() {
        let _ = writeln!(s, ":= n{i}\nCustomer: {}", say(i));
        for (k, target) in targets.iter().enumerate() {
            let _ = writeln!(s, "-> {}", reply(i, k));
            match target {
                Target::Line(t) => {
                    let _ = writeln!(s, "    => n{t}");
                }
                Target::End => s.push_str("    => END\n"),
            }
        }
        s.push_str("---\n");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_is_reached_and_reaches_the_end() {
        let g = Graph::generate(100, 1);
        assert!(g.targets.iter().any(|t| t.contains(&Target::End)));
        assert_eq!(g.targets[99][0], Target::Line(0));
        assert_eq!(node_in(&say(42)), Some(42));
    }
}
