//! Integration tests: the real glassbox binary against the real kernel, as
//! root. Every test takes a [`harness::Sandbox`]: its own temp `--root`,
//! its own victim folder, and on drop a `reset` plus the host oracles of
//! HOSTILE.md (no mount, init or zombie left, victim untouched).
// A test may say on stderr why it skipped (glassbox's own printing rule
// does not apply to its tests).
#![allow(clippy::disallowed_macros)]

mod harness;

mod archives;
mod bad_input;
mod browser;
mod browser_ko;
mod build;
mod cgroups;
mod compose;
mod compose_bad;
mod compose_followers;
mod compose_health;
mod compose_replicas;
mod compose_reset;
mod compose_rollout;
mod compose_rollout_web;
mod compose_schema;
mod crash;
mod daemon;
mod doctor;
mod dry_run;
mod export;
mod harden;
mod hostile_images;
mod hostile_mounts;
mod hostile_nsbind;
mod hostile_output;
mod hostile_state;
mod hostile_walks;
mod hostile_web;
mod images;
mod json_answers;
mod korean_terms;
mod language;
mod lesson_bugs;
mod lesson_catalogue_data;
mod lesson_compare;
mod lesson_korean;
mod lesson_slips;
mod lesson_tasks;
mod lessons;
mod lifecycle;
mod namespaces;
mod network;
mod output;
mod pods;
mod pool;
mod pool_balancer;
mod rootfs;
mod run_exec;
mod script;
mod volumes;
mod web;
