//! The command groups under `lesson`, `image`, `volume` and `layer`: their
//! verbs, with the `--help` a learner reads.

use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum LessonCommand {
    /// Every lesson: done, current, hints used.
    List,
    /// Set a lesson up (its boxes made afresh); print its goal and questions.
    ///
    /// It prints the goal, the concepts the lesson is about and its
    /// questions. From lesson 02 on you work out the commands yourself:
    /// `lesson show`, the book and `lesson hint` lead there.
    Start {
        /// The lesson: 02, uts or 02-uts.
        id: String,
    },
    /// The lesson's theory, its book chapter and your web page for it.
    ///
    /// Prints the "What and why" part of the lesson in the terminal, the
    /// book chapter that explains it at length and the address of the web
    /// page that shows the lesson's box (while `glassbox serve` runs).
    Show {
        /// The lesson (default: the current one).
        id: Option<String>,
    },
    /// Answer a lesson's question: predict, then run.
    ///
    /// The first answer counts; it is judged right or wrong, then
    /// explained, and kept in your progress. A lesson is done once every
    /// check passes and every question is answered.
    ///
    /// Example: glassbox lesson answer 02 1 the host's name
    Answer {
        /// The lesson: 02, uts or 02-uts.
        id: String,
        /// The question's number, as `lesson status` lists them.
        n: usize,
        /// Your answer (for a choice, its letter or its text).
        #[arg(required = true, num_args = 1.., trailing_var_arg = true, allow_hyphen_values = true)]
        answer: Vec<String>,
    },
    /// What a term the lessons use means, in English and Korean.
    ///
    /// Also names the book chapter that explains it. Without TERM, every
    /// term; the book's glossary page lists the same.
    Glossary {
        /// A term or its beginning, in English or Korean (case-insensitive).
        term: Option<String>,
        /// Print the book's glossary page (book/src/glossary.md) instead.
        #[arg(long, hide = true)]
        markdown: bool,
    },
    /// Your progress; for instructors, every student's on this machine
    ///
    /// Without a flag, your own root's progress. --all-users lists every
    /// student root on this machine, --export writes one student's progress
    /// as JSON to collect from many machines.
    ///
    ///   glassbox lesson progress                        # yours
    ///   sudo glassbox lesson progress --all-users       # every student's on this VM
    ///   glassbox lesson progress --export alice.json    # yours, as JSON, to collect
    #[command(verbatim_doc_comment)]
    Progress(ProgressArgs),
    /// The lesson's goal, its questions, its boxes and your progress.
    Status {
        /// The lesson (default: the current one).
        id: Option<String>,
    },
    /// Check your work: each check passed, failed (expected vs actual) or
    /// skipped (this machine lacks something: never a pass). Exit 0 only
    /// when every check passes.
    Check {
        /// The lesson (default: the current one).
        id: Option<String>,
    },
    /// The next hint: of the first check that fails, then the lesson's
    /// own; each is more concrete than the last.
    Hint {
        /// The lesson (default: the current one).
        id: Option<String>,
    },
    /// Print a worked solution (solution.sh).
    Solution {
        /// The lesson (default: the current one).
        id: Option<String>,
    },
    /// Remove the lesson's boxes and forget its progress.
    Reset {
        /// The lesson (default: the current one).
        id: Option<String>,
    },
    /// For lesson authors: prove each lesson fails after start, passes
    /// after solution.sh and fails after each wrong/*.sh, in a temp root.
    /// --strict also runs the solution twice (check three times each) and
    /// fails on skips, questions that cannot be judged and concepts
    /// missing from the glossary.
    /// GLASSBOX_LESSONS_DIR=DIR checks the lessons in DIR instead of the
    /// built-in ones.
    #[command(hide = true)]
    DevCheck {
        /// Check only this lesson.
        #[arg(long)]
        only: Option<String>,
        /// A skipped check (a need this machine lacks) fails too.
        #[arg(long)]
        strict: bool,
    },
}

#[derive(Debug, Args)]
pub struct ProgressArgs {
    /// Every student's progress on this machine: each lesson root under
    /// /var/lib/glassbox/users/ (and the default root).
    #[arg(long, conflicts_with = "export")]
    pub all_users: bool,
    /// Write this root's progress as JSON to FILE, for collection.
    #[arg(long, value_name = "FILE")]
    pub export: Option<PathBuf>,
    /// Overwrite FILE if it exists.
    #[arg(long, requires = "export")]
    pub force: bool,
}

#[derive(Debug, Subcommand)]
pub enum ImageCommand {
    /// List images: name, layers, size.
    Ls,
    /// Import a `docker save` archive, an OCI image layout (tar or folder),
    /// or a plain root filesystem tar(.gz) such as `docker export` makes.
    ///
    /// Two limits stop an archive built to fill the disk (a gzip bomb): the
    /// image's layers may expand to 4G together, and once a layer passes
    /// 64M expanded, to at most 100 bytes per compressed byte.
    ///
    /// Example: glassbox image import alpine.tar --name alpine
    Import(ImportArgs),
    /// Make an image from the host's busybox-static, offline.
    Busybox {
        #[arg(long, default_value = "busybox")]
        name: String,
    },
    /// Make an image of host programs and the libraries they load.
    ///
    /// Example: glassbox image from-host --name tools sh ls cat
    FromHost {
        #[arg(long, default_value = "host")]
        name: String,
        #[arg(required = true)]
        programs: Vec<String>,
    },
    /// Remove an image (refused while a box uses it).
    Rm { name: String },
    /// An image's config (Cmd, Entrypoint, Env, WorkingDir, User, ports,
    /// labels, volumes) and its layers; --json for the whole OCI config.
    Inspect { name: String },
    /// One row per line that made the image: the line, its layer (or
    /// "config only"), size, built or cached, and how long it took.
    History { name: String },
    /// Write an image as a `docker save` tar or an OCI image layout tar,
    /// for `podman load`, `docker load` or `skopeo`.
    ///
    /// Example: glassbox image export hello -o hello.tar && podman load -i hello.tar
    Export(crate::cli::ImageExportArgs),
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    pub file: PathBuf,
    /// Image name (default: from the file name).
    #[arg(long)]
    pub name: Option<String>,
    /// Which image of an archive that holds several: 1 is the first, as
    /// the list of them shows.
    #[arg(long, value_name = "N", conflicts_with = "all")]
    pub image: Option<usize>,
    /// Import every image of the archive, as NAME-1, NAME-2, …
    #[arg(long)]
    pub all: bool,
    /// Replace an image that already has the name.
    #[arg(long)]
    pub force: bool,
    /// The most the image's layers may expand to together, uncompressed
    /// (k, M, G, binary; default 4G).
    #[arg(long, value_name = "SIZE")]
    pub max_size: Option<String>,
    /// The most uncompressed bytes per compressed byte once a layer passes
    /// 64M expanded (default 100).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_ratio: Option<u64>,
}

#[derive(Debug, Subcommand)]
pub enum VolumeCommand {
    /// Make a named volume (a folder under the state root).
    Create { name: String },
    /// List named volumes: size and the boxes that mount them.
    Ls,
    /// One named volume, as JSON.
    Inspect { name: String },
    /// Delete a named volume and its data (refused while a box mounts it).
    Rm {
        name: String,
        /// Detach it from the boxes that mount it first.
        #[arg(long)]
        force: bool,
    },
    /// Mount a volume into a box: NAME:/path or /host/path:/path, `:ro` for
    /// read-only. Before `rootfs` it is mounted by `rootfs`; after, at once,
    /// even into a running box. A host folder must exist; glassbox never
    /// creates one.
    ///
    /// Examples:
    ///   glassbox volume create data && glassbox volume add web data:/data
    ///   glassbox volume add web /srv/site:/var/www:ro
    #[command(verbatim_doc_comment)]
    Add {
        /// The box.
        name: String,
        /// NAME:/path, /host/path:/path, with an optional :ro.
        spec: String,
        /// Allow a host folder glassbox would refuse: /, /etc, /var/lib and its
        /// parents, anything under /proc /sys /dev /run /boot, a glassbox root.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum LayerCommand {
    /// Add one more read-only layer on top of the box's stack, from a
    /// folder, a layer tar, or an image's layers. Copied into the store:
    /// later changes to the source do not leak in.
    Add { name: String, source: String },
}
