//! Integration tests: the real glassbox binary against the real kernel, as
//! root. Every test takes a [`harness::Sandbox`]: its own temp `--root`,
//! its own victim folder, and on drop a `reset` plus the host oracles of
//! HOSTILE.md (no mount, init or zombie left, victim untouched).

mod harness;

mod archives;
mod bad_input;
mod browser;
mod cgroups;
mod crash;
mod doctor;
mod harden;
mod hostile_walks;
mod images;
mod lessons;
mod lifecycle;
mod namespaces;
mod network;
mod rootfs;
mod run_exec;
mod script;
mod volumes;
mod web;
