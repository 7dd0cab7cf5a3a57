//! Usage errors: the mistakes a learner can make on the command line, each
//! a variant with its values as fields. A variant's message id names its
//! text in the catalogue (`src/i18n/*/usage.ftl`, English and Korean) and is
//! the language-neutral code `--json` prints; every usage error exits 2.
//!
//! One list below declares each variant with its id, so the enum, its ids
//! and the values its message takes cannot drift apart (a test checks that
//! each id is in the catalogue with exactly these values).

use crate::i18n::ToArg;
use fluent_bundle::FluentValue;
use std::path::PathBuf;

macro_rules! usage_errors {
    ($( $(#[$doc:meta])* $variant:ident { $($field:ident : $ty:ty),* $(,)? } => $id:literal, )+) => {
        /// Bad input, caught before anything changed.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum UsageError {
            $( $(#[$doc])* $variant { $($field: $ty),* }, )+
        }

        impl UsageError {
            /// The message id, also the code `--json` prints.
            pub fn id(&self) -> &'static str {
                match self {
                    $( UsageError::$variant { .. } => $id, )+
                }
            }

            /// The message's values, named as its fields are.
            fn args(&self) -> Vec<(&'static str, FluentValue<'static>)> {
                match self {
                    $( UsageError::$variant { $($field),* } => vec![$((stringify!($field), ToArg::to_arg($field))),*], )+
                }
            }
        }

        /// Each message id with the values its variant gives it.
        #[cfg(test)]
        pub(crate) const MESSAGES: &[(&str, &[&str])] = &[$( ($id, &[$(stringify!($field)),*]), )+];
    };
}

usage_errors! {
    NeedsRoot {} => "needs-root",
    RootInvalid { dir: String, reason: String } => "root-invalid",
    FileNotFound { path: PathBuf } => "file-not-found",

    NsKindUnknown { kind: String, kinds: String } => "ns-kind-unknown",
    MapRootToInvalid { value: String } => "map-root-to-invalid",
    ClockOffsetInvalid { flag: String, reason: String } => "clock-offset-invalid",
    InitExited {} => "init-exited",
    BoxRunning { name: String } => "box-running",
    CapsAddAll {} => "caps-add-all",
    LimitNothing { name: String } => "limit-nothing",
    LimitNoCgroup { name: String } => "limit-no-cgroup",
    ExecEntrypoint { name: String } => "exec-entrypoint",
    NothingToRun { name: String, verb: String } => "nothing-to-run",
    NothingToRunImage { name: String, verb: String } => "nothing-to-run-image",

    RootfsNoMnt { name: String } => "rootfs-no-mnt",
    LayerAfterStop { name: String } => "layer-after-stop",
    LayerUnderInit { name: String } => "layer-under-init",
    LayerUnderMain { name: String } => "layer-under-main",
    LayerUnknown { source: String } => "layer-unknown",
    CommitNoRootfs { name: String } => "commit-no-rootfs",

    ImageInUse { name: String, boxes: String } => "image-in-use",
    MaxSizeZero {} => "max-size-zero",
    ExportIsFolder { path: PathBuf, what: String } => "export-is-folder",
    ExportExists { path: PathBuf } => "export-exists",
    ExportNoFolder { path: PathBuf, what: String } => "export-no-folder",
    BundleNoRootfs { name: String } => "bundle-no-rootfs",
    BundleNotBundle { path: PathBuf } => "bundle-not-bundle",
    BundleExists { path: PathBuf } => "bundle-exists",
    DockerfileUnreadable { reason: String } => "dockerfile-unreadable",
    DockerfileMissing { file: PathBuf } => "dockerfile-missing",
    DockerfileTooLarge { file: PathBuf, bytes: u64, max: usize } => "dockerfile-too-large",
    DockerfileRead { file: PathBuf, reason: String } => "dockerfile-read",
    DockerfileNotText { file: PathBuf } => "dockerfile-not-text",
    DockerignoreHidesDockerfile { file: String } => "dockerignore-hides-dockerfile",
    ContextNotFolder { dir: PathBuf } => "context-not-folder",
    ContextMissing { dir: PathBuf } => "context-missing",
    RunNeedsFiles { line: usize, col: usize } => "run-needs-files",
    DockerfileNoFrom { file: String } => "dockerfile-no-from",
    TooManyBuildLayers { file: String, layers: usize, max: usize } => "dockerfile-too-many-layers",
    BeforeFrom { line: usize, col: usize, keyword: String } => "dockerfile-before-from",
    SecondFrom { line: usize, col: usize } => "dockerfile-second-from",
    FromStage { line: usize, col: usize } => "dockerfile-from-stage",
    FromNoImage { line: usize, col: usize, name: String, images: String } => "dockerfile-from-no-image",
    ArgUsedEarly { line: usize, col: usize, name: String, arg_line: usize } => "dockerfile-arg-used-early",
    LineInvalid { line: usize, col: usize, reason: String } => "dockerfile-line-invalid",
    EnvNoValue { line: usize, col: usize, key: String } => "dockerfile-env-no-value",
    ShellNotJson { line: usize, col: usize } => "dockerfile-shell-not-json",
    ExposeInvalid { line: usize, col: usize, port: String } => "dockerfile-expose-invalid",
    CopyFromStage { line: usize, col: usize, from: String } => "dockerfile-copy-from-stage",
    CopyNeedsTwo { line: usize, col: usize, keyword: String } => "dockerfile-copy-needs-two",
    ChmodInvalid { line: usize, col: usize, mode: String } => "dockerfile-chmod-invalid",
    CopyDestNotFolder { what: String, dest: String } => "copy-dest-not-folder",
    CopyNotInContext { what: String, source: String, context: PathBuf } => "copy-not-in-context",
    CopyUrl { what: String, source: String } => "copy-url",
    CopyOutsideContext { what: String, source: String, context: PathBuf } => "copy-outside-context",
    CopyBadArchive { what: String, file: PathBuf, reason: String } => "copy-bad-archive",
    BuildArgInvalid { value: String } => "build-arg-invalid",

    VolumeNotFound { name: String, bare: String } => "volume-not-found",
    VolumeHostMissing { path: PathBuf } => "volume-host-missing",
    VolumeNotFolder { path: PathBuf } => "volume-not-folder",
    VolumeRefused { path: PathBuf, resolved: PathBuf, why: String } => "volume-refused",
    VolumeInUse { name: String, boxes: String } => "volume-in-use",
    VolumeSpecInvalid { spec: String, reason: String } => "volume-spec-invalid",

    PortsInvalid { text: String } => "ports-invalid",
    SubnetFixed { bridge: String, subnet: String } => "subnet-fixed",
    VethTaken { veth: String } => "veth-taken",
    AlsoNotConnected { name: String } => "also-not-connected",
    PortLow { port: u16 } => "port-low",
    NotConnected { name: String, fix: String } => "box-not-connected",
    PublishCannotListen { port: u16, reason: String, name: String, next: u16, box_port: u16 } => "publish-cannot-listen",

    ComposeNoService { service: String, file: PathBuf, services: String } => "compose-no-service",
    ComposeLogsNoService { service: String, file: PathBuf } => "compose-logs-no-service",
    ComposeImageMissing { service: String, image: String, bare: String } => "compose-image-missing",
    ComposeScaleInvalid { text: String } => "compose-scale-invalid",
    ComposeServiceNoBox { service: String } => "compose-service-no-box",

    PoolUnknown { pool: String } => "pool-unknown",
    PoolPortTaken { pool: String, host_port: u16, had: u16, box_port: u16 } => "pool-port-taken",
    PoolCannotListen { host_port: u16, reason: String, pool: String } => "pool-cannot-listen",
    PoolNotMember { name: String, pool: String } => "pool-not-member",
    ComposeNoBoxes { project: String } => "compose-no-boxes",

    LessonNotFound { id: String, known: String } => "lesson-not-found",
    LessonNoneStarted { first: String } => "lesson-none-started",
    LessonNotStarted { lesson: String } => "lesson-not-started",
    LessonNoSolution { lesson: String } => "lesson-no-solution",
    LessonBroken { reason: String } => "lesson-broken",
    LessonTomlInvalid { lesson: String, reason: String } => "lesson-toml-invalid",
    LessonTranslationInvalid { lesson: String, file: String, reason: String } => "lesson-translation-invalid",
    LessonChecksInvalid { lesson: String, reason: String } => "lesson-checks-invalid",
    LessonsDirUnreadable { dir: PathBuf, reason: String } => "lessons-dir-unreadable",
    LessonNoQuestions { lesson: String } => "lesson-no-questions",
    QuestionOutOfRange { lesson: String, count: usize, n: usize } => "question-out-of-range",
    AnswerEmpty { lesson: String, n: usize } => "answer-empty",
    QuestionInvalid { n: usize, reason: String } => "question-invalid",
    ProgressUnreadable { path: PathBuf, reason: String } => "progress-unreadable",
    ClassFileExists { path: String } => "class-file-exists",
    ClassCannotWrite { path: PathBuf, reason: String } => "class-cannot-write",
    GlossaryInvalid { file: String, reason: String } => "glossary-invalid",
    GlossaryTermEmpty {} => "glossary-term-empty",
    GlossaryNoTerm { term: String } => "glossary-no-term",
}

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::i18n::message(self.id(), &self.args()))
    }
}

impl std::error::Error for UsageError {}
