//! Diagnostic scripts (R-51, seed 000): decision trees the first line walks with the customer.
//! A node asks a question, gives an instruction, or checks something by itself (is the
//! service suspended for debt, is there a known outage at the address); a leaf settles the
//! matter, opens a ticket for a department, or suspects an outage.
//!
//! A script is stored as versions: a walk records the version it followed, so editing a
//! script never changes a path already taken.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{TicketCategory, TicketPriority};
use crate::validation::{FieldErrorCode, Validator};

/// Most nodes in one script.
pub const MAX_NODES: usize = 200;
/// Most answers to one question.
pub const MAX_ANSWERS: usize = 12;
/// Longest question, instruction or answer, in characters.
pub const TEXT_MAX_CHARS: usize = 1000;

wire_enum! {
    /// What a script can find out by itself about the customer on the card.
    pub enum ScriptCheck {
        /// A service of the customer is suspended for debt.
        ServiceSuspendedForDebt,
        /// A known outage (an open incident) covers one of the customer's service addresses.
        OpenIncidentAtAddress,
        /// The customer already has an open ticket.
        HasOpenTicket,
    }
}

/// A script's tree: the node it starts at and its nodes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ScriptBody {
    /// The id of the first node.
    pub start: String,
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 200))]
    pub nodes: Vec<ScriptNode>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ScriptNode {
    /// Unique in the script: 1 to 40 letters, digits, `-`, `_` or `.`.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 40))]
    pub id: String,
    pub step: ScriptStep,
}

/// What a node does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ScriptStep {
    /// Ask the customer; each answer leads to a node.
    Question {
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 1000))]
        text: String,
        #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 12))]
        answers: Vec<ScriptAnswer>,
    },
    /// Tell the customer what to do, then go on.
    Instruction {
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 1000))]
        text: String,
        next: String,
    },
    /// Find something out without asking.
    Check {
        check: ScriptCheck,
        if_yes: String,
        if_no: String,
    },
    /// The matter is settled.
    Solved {
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 1000))]
        text: String,
    },
    /// A ticket is opened for a department with a priority.
    OpenTicket {
        /// A department's code.
        department: String,
        priority: TicketPriority,
        category: TicketCategory,
    },
    /// Probably an outage: a ticket is opened for the network to see the cluster.
    SuspectedOutage { category: TicketCategory },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ScriptAnswer {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 1000))]
    pub label: String,
    pub next: String,
}

/// Where a walk ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ScriptOutcome {
    Solved {
        text: String,
    },
    OpenTicket {
        department: String,
        priority: TicketPriority,
        category: TicketCategory,
    },
    SuspectedOutage {
        category: TicketCategory,
    },
}

/// One step of a walk as recorded: what was asked or checked, the answer, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PathStep {
    pub node_id: String,
    /// The question, instruction or check as shown then.
    pub prompt: String,
    /// The answer chosen, `done` for an instruction, `yes`/`no` for a check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
    /// Found out by the system rather than asked.
    pub automatic: bool,
    pub at: DateTime<Utc>,
}

/// Where a walk stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Position {
    /// Waiting for the operator at this node (a question or an instruction).
    At(String),
    Finished(ScriptOutcome),
}

/// What the operator gives at the current node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// The answer's index at a question.
    Answer(usize),
    /// Done, at an instruction.
    Done,
}

/// Why a walk cannot go on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WalkError {
    #[error("the walk is finished")]
    Finished,
    #[error("node {0} is not in the script")]
    UnknownNode(String),
    #[error("no answer {0} at this question")]
    NoSuchAnswer(usize),
    #[error("this node takes an answer")]
    AnswerNeeded,
    #[error("this node takes no answer")]
    NoAnswerTaken,
    #[error("the script goes round in circles")]
    Loop,
}

impl ScriptBody {
    pub fn node(&self, id: &str) -> Option<&ScriptNode> {
        self.nodes.iter().find(|n| n.id == id)
    }

    fn nexts(step: &ScriptStep) -> Vec<&str> {
        match step {
            ScriptStep::Question { answers, .. } => {
                answers.iter().map(|a| a.next.as_str()).collect()
            }
            ScriptStep::Instruction { next, .. } => vec![next.as_str()],
            ScriptStep::Check { if_yes, if_no, .. } => vec![if_yes.as_str(), if_no.as_str()],
            ScriptStep::Solved { .. }
            | ScriptStep::OpenTicket { .. }
            | ScriptStep::SuspectedOutage { .. } => Vec::new(),
        }
    }

    /// Checks a script before it is saved (field paths under `field`): ids well formed and
    /// unique, every reference to a node of the script, departments known, every node
    /// reachable from the start, no way round in circles, and at least one leaf.
    pub fn validate(&self, v: &mut Validator, field: &str, departments: &[String]) {
        if self.nodes.is_empty() {
            v.fail(
                format!("{field}.nodes"),
                FieldErrorCode::Required,
                "a script needs nodes",
            );
            return;
        }
        v.at_most(&format!("{field}.nodes"), &self.nodes, MAX_NODES);
        if self.node(&self.start).is_none() {
            v.fail(
                format!("{field}.start"),
                FieldErrorCode::UnknownReference,
                "no node has this id",
            );
        }
        for (index, node) in self.nodes.iter().enumerate() {
            let at = format!("{field}.nodes[{index}]");
            v.code(&format!("{at}.id"), &node.id);
            if self.nodes.iter().take(index).any(|n| n.id == node.id) {
                v.fail(
                    format!("{at}.id"),
                    FieldErrorCode::Duplicate,
                    "used by another node",
                );
            }
            self.validate_step(v, &format!("{at}.step"), &node.step, departments);
        }
        if !v.is_valid() {
            return;
        }
        match self.reachable() {
            Err(WalkError::Loop) => v.fail(
                format!("{field}.nodes"),
                FieldErrorCode::InvalidValue,
                "the script goes round in circles",
            ),
            Err(other) => v.fail(
                format!("{field}.nodes"),
                FieldErrorCode::InvalidValue,
                other,
            ),
            Ok(reached) => {
                for (index, node) in self.nodes.iter().enumerate() {
                    if !reached.contains(&node.id.as_str()) {
                        v.fail(
                            format!("{field}.nodes[{index}].id"),
                            FieldErrorCode::InvalidValue,
                            "no path from the start leads here",
                        );
                    }
                }
            }
        }
    }

    fn validate_step(
        &self,
        v: &mut Validator,
        at: &str,
        step: &ScriptStep,
        departments: &[String],
    ) {
        let reference = |v: &mut Validator, name: &str, id: &str| {
            if self.node(id).is_none() {
                v.fail(
                    format!("{at}.{name}"),
                    FieldErrorCode::UnknownReference,
                    "no node has this id",
                );
            }
        };
        match step {
            ScriptStep::Question { text, answers } => {
                v.text(&format!("{at}.text"), text, TEXT_MAX_CHARS);
                if answers.is_empty() {
                    v.fail(
                        format!("{at}.answers"),
                        FieldErrorCode::Required,
                        "a question needs answers",
                    );
                }
                v.at_most(&format!("{at}.answers"), answers, MAX_ANSWERS);
                for (index, answer) in answers.iter().enumerate() {
                    v.text(
                        &format!("{at}.answers[{index}].label"),
                        &answer.label,
                        TEXT_MAX_CHARS,
                    );
                    reference(v, &format!("answers[{index}].next"), &answer.next);
                }
            }
            ScriptStep::Instruction { text, next } => {
                v.text(&format!("{at}.text"), text, TEXT_MAX_CHARS);
                reference(v, "next", next);
            }
            ScriptStep::Check { if_yes, if_no, .. } => {
                reference(v, "if_yes", if_yes);
                reference(v, "if_no", if_no);
            }
            ScriptStep::Solved { text } => {
                v.text(&format!("{at}.text"), text, TEXT_MAX_CHARS);
            }
            ScriptStep::OpenTicket { department, .. } => {
                if !departments.iter().any(|d| d == department) {
                    v.fail(
                        format!("{at}.department"),
                        FieldErrorCode::UnknownReference,
                        "no active department has this code",
                    );
                }
            }
            ScriptStep::SuspectedOutage { .. } => {}
        }
    }

    /// The nodes reachable from the start, or `Loop` when a path comes back to a node it
    /// passed (a depth-first walk with the nodes on the current path marked).
    fn reachable(&self) -> Result<Vec<&str>, WalkError> {
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            OnPath,
            Done,
        }
        let mut marks: std::collections::HashMap<&str, Mark> = std::collections::HashMap::new();
        // (node, whether its children were pushed)
        let mut stack: Vec<(&str, bool)> = vec![(self.start.as_str(), false)];
        while let Some((id, expanded)) = stack.pop() {
            if expanded {
                marks.insert(id, Mark::Done);
                continue;
            }
            match marks.get(id) {
                Some(Mark::Done) => continue,
                Some(Mark::OnPath) => return Err(WalkError::Loop),
                None => {}
            }
            let node = self
                .node(id)
                .ok_or_else(|| WalkError::UnknownNode(id.to_owned()))?;
            marks.insert(id, Mark::OnPath);
            stack.push((id, true));
            for next in Self::nexts(&node.step) {
                match marks.get(next) {
                    Some(Mark::OnPath) => return Err(WalkError::Loop),
                    Some(Mark::Done) => {}
                    None => stack.push((next, false)),
                }
            }
        }
        Ok(marks.into_keys().collect())
    }

    /// Starts a walk: checks at the start run by themselves.
    pub fn start(
        &self,
        check: impl Fn(ScriptCheck) -> bool,
        at: DateTime<Utc>,
    ) -> Result<(Vec<PathStep>, Position), WalkError> {
        self.settle(self.start.clone(), Vec::new(), &check, at)
    }

    /// Takes the operator's `input` at `current` and walks on to the next node that needs
    /// the operator (checks run by themselves) or to a leaf.
    pub fn advance(
        &self,
        current: &Position,
        input: Input,
        check: impl Fn(ScriptCheck) -> bool,
        at: DateTime<Utc>,
    ) -> Result<(Vec<PathStep>, Position), WalkError> {
        let Position::At(id) = current else {
            return Err(WalkError::Finished);
        };
        let node = self
            .node(id)
            .ok_or_else(|| WalkError::UnknownNode(id.clone()))?;
        let (step, next) = match (&node.step, input) {
            (ScriptStep::Question { text, answers }, Input::Answer(index)) => {
                let answer = answers.get(index).ok_or(WalkError::NoSuchAnswer(index))?;
                (
                    PathStep {
                        node_id: node.id.clone(),
                        prompt: text.clone(),
                        answer: Some(answer.label.clone()),
                        automatic: false,
                        at,
                    },
                    answer.next.clone(),
                )
            }
            (ScriptStep::Question { .. }, Input::Done) => return Err(WalkError::AnswerNeeded),
            (ScriptStep::Instruction { text, next }, Input::Done) => (
                PathStep {
                    node_id: node.id.clone(),
                    prompt: text.clone(),
                    answer: Some("done".into()),
                    automatic: false,
                    at,
                },
                next.clone(),
            ),
            _ => return Err(WalkError::NoAnswerTaken),
        };
        self.settle(next, vec![step], &check, at)
    }

    /// From `id` on, runs checks until a node needs the operator or a leaf is reached.
    fn settle(
        &self,
        mut id: String,
        mut path: Vec<PathStep>,
        check: &impl Fn(ScriptCheck) -> bool,
        at: DateTime<Utc>,
    ) -> Result<(Vec<PathStep>, Position), WalkError> {
        for _ in 0..=self.nodes.len() {
            let node = self
                .node(&id)
                .ok_or_else(|| WalkError::UnknownNode(id.clone()))?;
            let outcome = match &node.step {
                ScriptStep::Question { .. } | ScriptStep::Instruction { .. } => {
                    return Ok((path, Position::At(id)));
                }
                ScriptStep::Check {
                    check: what,
                    if_yes,
                    if_no,
                } => {
                    let yes = check(*what);
                    path.push(PathStep {
                        node_id: node.id.clone(),
                        prompt: what.to_string(),
                        answer: Some(if yes { "yes" } else { "no" }.into()),
                        automatic: true,
                        at,
                    });
                    id = if yes { if_yes.clone() } else { if_no.clone() };
                    continue;
                }
                ScriptStep::Solved { text } => ScriptOutcome::Solved { text: text.clone() },
                ScriptStep::OpenTicket {
                    department,
                    priority,
                    category,
                } => ScriptOutcome::OpenTicket {
                    department: department.clone(),
                    priority: *priority,
                    category: *category,
                },
                ScriptStep::SuspectedOutage { category } => ScriptOutcome::SuspectedOutage {
                    category: *category,
                },
            };
            return Ok((path, Position::Finished(outcome)));
        }
        Err(WalkError::Loop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn node(id: &str, step: ScriptStep) -> ScriptNode {
        ScriptNode {
            id: id.into(),
            step,
        }
    }

    /// The seed's no-connection script, shortened.
    pub(crate) fn no_connection() -> ScriptBody {
        ScriptBody {
            start: "debt".into(),
            nodes: vec![
                node(
                    "debt",
                    ScriptStep::Check {
                        check: ScriptCheck::ServiceSuspendedForDebt,
                        if_yes: "pay".into(),
                        if_no: "outage".into(),
                    },
                ),
                node(
                    "pay",
                    ScriptStep::Solved {
                        text: "Service suspended for debt: explain how to pay.".into(),
                    },
                ),
                node(
                    "outage",
                    ScriptStep::Check {
                        check: ScriptCheck::OpenIncidentAtAddress,
                        if_yes: "known".into(),
                        if_no: "lights".into(),
                    },
                ),
                node(
                    "known",
                    ScriptStep::Solved {
                        text: "Known outage: tell the customer it is being fixed.".into(),
                    },
                ),
                node(
                    "lights",
                    ScriptStep::Question {
                        text: "Is the modem's power light on?".into(),
                        answers: vec![
                            ScriptAnswer {
                                label: "No".into(),
                                next: "power".into(),
                            },
                            ScriptAnswer {
                                label: "Yes".into(),
                                next: "neighbours".into(),
                            },
                        ],
                    },
                ),
                node(
                    "power",
                    ScriptStep::Instruction {
                        text: "Plug the modem in and wait two minutes.".into(),
                        next: "works".into(),
                    },
                ),
                node(
                    "works",
                    ScriptStep::Question {
                        text: "Does it work now?".into(),
                        answers: vec![
                            ScriptAnswer {
                                label: "Yes".into(),
                                next: "solved".into(),
                            },
                            ScriptAnswer {
                                label: "No".into(),
                                next: "ticket".into(),
                            },
                        ],
                    },
                ),
                node(
                    "neighbours",
                    ScriptStep::Question {
                        text: "Do the neighbours have internet?".into(),
                        answers: vec![
                            ScriptAnswer {
                                label: "No".into(),
                                next: "suspect".into(),
                            },
                            ScriptAnswer {
                                label: "Yes".into(),
                                next: "ticket".into(),
                            },
                        ],
                    },
                ),
                node(
                    "solved",
                    ScriptStep::Solved {
                        text: "Fixed by power-cycling.".into(),
                    },
                ),
                node(
                    "ticket",
                    ScriptStep::OpenTicket {
                        department: "technical_support".into(),
                        priority: TicketPriority::High,
                        category: TicketCategory::NoConnection,
                    },
                ),
                node(
                    "suspect",
                    ScriptStep::SuspectedOutage {
                        category: TicketCategory::NoConnection,
                    },
                ),
            ],
        }
    }

    fn departments() -> Vec<String> {
        vec!["technical_support".into()]
    }

    fn moment() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap()
    }

    fn fields(body: &ScriptBody) -> Vec<String> {
        let mut v = Validator::new();
        body.validate(&mut v, "body", &departments());
        v.into_errors().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn the_seed_script_is_valid() {
        assert!(fields(&no_connection()).is_empty());
    }

    #[test]
    fn each_kind_of_leaf_is_reached() {
        let script = no_connection();
        let (path, position) = script
            .start(|c| c == ScriptCheck::ServiceSuspendedForDebt, moment())
            .unwrap();
        assert_eq!(path.len(), 1);
        assert!(path[0].automatic);
        assert!(matches!(
            position,
            Position::Finished(ScriptOutcome::Solved { .. })
        ));

        let (path, position) = script
            .start(|c| c == ScriptCheck::OpenIncidentAtAddress, moment())
            .unwrap();
        assert_eq!(
            path.iter().map(|p| p.answer.as_deref()).collect::<Vec<_>>(),
            vec![Some("no"), Some("yes")]
        );
        assert_eq!(
            position,
            Position::Finished(ScriptOutcome::Solved {
                text: "Known outage: tell the customer it is being fixed.".into()
            })
        );

        let (_, at_lights) = script.start(|_| false, moment()).unwrap();
        assert_eq!(at_lights, Position::At("lights".into()));
        let (path, at_power) = script
            .advance(&at_lights, Input::Answer(0), |_| false, moment())
            .unwrap();
        assert_eq!(path[0].answer.as_deref(), Some("No"));
        assert_eq!(
            script.advance(&at_power, Input::Answer(0), |_| false, moment()),
            Err(WalkError::NoAnswerTaken)
        );
        let (_, at_works) = script
            .advance(&at_power, Input::Done, |_| false, moment())
            .unwrap();
        let (_, ticket) = script
            .advance(&at_works, Input::Answer(1), |_| false, moment())
            .unwrap();
        assert_eq!(
            ticket,
            Position::Finished(ScriptOutcome::OpenTicket {
                department: "technical_support".into(),
                priority: TicketPriority::High,
                category: TicketCategory::NoConnection
            })
        );
        let (_, at_neighbours) = script
            .advance(&at_lights, Input::Answer(1), |_| false, moment())
            .unwrap();
        let (_, suspect) = script
            .advance(&at_neighbours, Input::Answer(0), |_| false, moment())
            .unwrap();
        assert_eq!(
            suspect,
            Position::Finished(ScriptOutcome::SuspectedOutage {
                category: TicketCategory::NoConnection
            })
        );
        assert_eq!(
            script.advance(&suspect, Input::Done, |_| false, moment()),
            Err(WalkError::Finished)
        );
        assert_eq!(
            script.advance(&at_neighbours, Input::Answer(5), |_| false, moment()),
            Err(WalkError::NoSuchAnswer(5))
        );
        assert_eq!(
            script.advance(&at_neighbours, Input::Done, |_| false, moment()),
            Err(WalkError::AnswerNeeded)
        );
    }

    #[test]
    fn broken_scripts_are_refused_naming_the_node() {
        let mut looping = no_connection();
        if let Some(ScriptStep::Question { answers, .. }) =
            looping.nodes.get_mut(6).map(|n| &mut n.step)
        {
            answers[0].next = "lights".into();
        }
        assert_eq!(fields(&looping), vec!["body.nodes"]);

        let mut dangling = no_connection();
        if let Some(ScriptStep::Instruction { next, .. }) =
            dangling.nodes.get_mut(5).map(|n| &mut n.step)
        {
            *next = "nowhere".into();
        }
        assert_eq!(fields(&dangling), vec!["body.nodes[5].step.next"]);

        let mut orphan = no_connection();
        orphan
            .nodes
            .push(node("orphan", ScriptStep::Solved { text: "x".into() }));
        assert_eq!(fields(&orphan), vec!["body.nodes[11].id"]);

        let mut unknown = no_connection();
        if let Some(ScriptStep::OpenTicket { department, .. }) =
            unknown.nodes.get_mut(9).map(|n| &mut n.step)
        {
            *department = "marketing".into();
        }
        unknown
            .nodes
            .push(node("debt", ScriptStep::Solved { text: " ".into() }));
        assert_eq!(
            fields(&unknown),
            vec![
                "body.nodes[9].step.department",
                "body.nodes[11].id",
                "body.nodes[11].step.text"
            ]
        );
    }
}
