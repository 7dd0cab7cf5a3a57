//! Lessons: guided steps with automated checks, like rustlings for
//! containers. A lesson is data (`lessons/NN-slug/`: lesson.toml, README.md,
//! solution.sh, wrong/*.sh; the contract is lessons/FORMAT.md), embedded in
//! the binary by build.rs. The runner (`glassbox lesson …`) sets a lesson
//! up, checks the learner's boxes against the same model `inspect --json`
//! prints, and hands out hints; `lesson dev-check` proves every lesson fails
//! before it is solved and passes after its solution.

pub mod catalogue;
pub mod check;
mod child;
pub mod class;
pub mod compare;
pub mod devcheck;
mod effects;
pub mod glossary;
pub mod hints;
mod history;
pub mod intro;
pub mod path;
mod probe;
pub mod progress;
pub mod question;
pub mod redo;
pub mod runner;
pub mod show;
pub mod spec;
pub mod translation;
pub mod vars;
pub mod verdict;
