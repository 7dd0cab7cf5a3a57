#!/usr/bin/env bash
# scripts/check-book.sh — build the book (book/) and fail on anything wrong in it.
#
#   scripts/check-book.sh            build and check
#   scripts/check-book.sh --update   rewrite the command reference from the
#                                    binary's --help and the glossary page
#                                    from lessons/glossary.toml first, then check
#
# 1. the command reference (book/src/reference/commands.gen.md) must be what
#    the glassbox built from this tree prints for `--help`, command by
#    command (book/tools/commands.py makes it);
# 2. as root: a real box's `inspect --json` must have exactly the fields the
#    book's model page documents (book/tools/modelcheck.py); the boxes live
#    under a temp --root that is reset and removed at the end;
# 3. every lesson the book includes exists, its README starts with its
#    `# NN · title` line (the chapter includes line 1 as its title and the
#    rest after the intro), and SUMMARY.md names it by lesson.toml's title;
# 4. `mdbook build book` succeeds and prints no warning or error: mdbook
#    only warns about an include it cannot find, so any WARN/ERROR fails;
# 5. the Korean book (book-ko/) has every chapter of the English one, each
#    translated one with the same number of headings and the same code
#    blocks; the chapters still pending are listed in book-ko/PENDING
#    (book/tools/samebook.py). It builds, without warnings, into book/book/ko/,
#    where each book's language switch finds the other's pages;
# 6. the built HTML of both has no leftover `{{#include` and no broken
#    relative link, fragment or image, and every SVG is well-formed
#    (book/tools/linkcheck.py).
#
# GLASSBOX=path uses that binary instead of building target/release/glassbox.
# Exit codes: 0 all good, 1 something is wrong (each problem on one line).
set -euo pipefail

cd "$(dirname "$0")/.."

UPDATE=
case "${1:-}" in
    --update) UPDATE=1 ;;
    '') ;;
    *) echo "usage: $0 [--update]" >&2; exit 2 ;;
esac

# A toolchain installed with rustup lives in ~/.cargo/bin, and setup.sh puts
# mdbook in /usr/local/bin: sudo's PATH may leave either out.
for d in "${HOME:-/root}/.cargo/bin" /root/.cargo/bin /usr/local/bin; do
    if [[ -d $d && :$PATH: != *:$d:* ]]; then PATH="$d:$PATH"; fi
done
export PATH

say() { echo "check-book: $*"; }
fail() { echo "check-book: FAILED: $*" >&2; exit 1; }

command -v mdbook >/dev/null || fail "mdbook is not installed: run sudo scripts/setup-tests.sh (it installs mdbook 0.4.52)"
command -v python3 >/dev/null || fail "python3 is not installed: run sudo scripts/setup.sh"

TMP=$(mktemp -d /tmp/check-book-XXXXXX)
MODEL_ROOT=
cleanup() {
    if [[ -n $MODEL_ROOT && -n ${GLASSBOX:-} ]]; then
        "$GLASSBOX" --root "$MODEL_ROOT" reset --volumes >/dev/null 2>&1 || true
        rm -rf "$MODEL_ROOT"
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT

# --- the binary the reference is taken from ---------------------------------
if [[ -z ${GLASSBOX:-} ]]; then
    # A no-op when target/release is up to date (setup.sh just built it).
    scripts/build.sh --quiet || fail "scripts/build.sh failed"
    GLASSBOX=$PWD/target/release/glassbox
fi
[[ -x $GLASSBOX ]] || fail "no glassbox binary at $GLASSBOX"

# A generated page: NEW is what SOURCE makes now; --update writes it to
# PAGE, else PAGE must already match it.
generated() {
    local page=$1 new=$2 source=$3
    if [[ -n $UPDATE ]]; then
        if cmp -s "$new" "$page"; then
            say "$page is up to date"
        else
            cp "$new" "$page"
            say "rewrote $page from $source (review it with git diff)"
        fi
    elif ! diff -u "$page" "$new" >"$new.diff" 2>&1; then
        head -n 40 "$new.diff" >&2
        fail "$page differs from what $source makes (diff above): run scripts/check-book.sh --update and commit the result"
    else
        say "$page matches $source"
    fi
}

# --- 1. the command reference -------------------------------------------------
python3 book/tools/commands.py "$GLASSBOX" >"$TMP/commands.md" || fail "book/tools/commands.py could not read $GLASSBOX's --help"
generated book/src/reference/commands.gen.md "$TMP/commands.md" "$GLASSBOX --help"

# --- 1b. the glossary, generated from lessons/glossary.toml ------------------
env -u GLASSBOX_LESSONS_DIR "$GLASSBOX" lesson glossary --markdown >"$TMP/glossary.md" ||
    fail "$GLASSBOX lesson glossary --markdown failed: is lessons/glossary.toml valid?"
generated book/src/glossary.md "$TMP/glossary.md" lessons/glossary.toml

# --- 2. the box model's fields -----------------------------------------------
if [[ $(id -u) -ne 0 ]]; then
    say "SKIPPED the model check: it builds real boxes, which needs root (sudo $0)"
else
    MODEL_ROOT=$(mktemp -d /tmp/check-book-root-XXXXXX)
    HOSTDIR=$TMP/hostdir
    mkdir -p "$HOSTDIR" "$TMP/layer/etc"
    echo added >"$TMP/layer/etc/added"
    gb() { "$GLASSBOX" --root "$MODEL_ROOT" "$@" >>"$TMP/model.log" 2>&1 || { cat "$TMP/model.log" >&2; fail "model check: glassbox $* failed (output above)"; }; }
    # One box with everything but a user and a time namespace...
    gb create full
    gb unshare full mnt uts ipc net pid --hostname full
    gb limit full --memory 64M --cpus 0.5 --pids 32
    gb unshare full cgroup
    gb image busybox
    gb volume create data
    gb volume add full data:/data
    gb volume add full "$HOSTDIR:/srv:ro"
    gb layer add full "$TMP/layer"
    gb rootfs full busybox
    gb net full
    gb run -d full -- sleep 60
    gb harden full
    # A free port of this machine's loopback, for the published-port fields.
    PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    gb publish full "$PORT:80"
    # ...and one with those two (a user namespace must come first).
    gb create owned
    gb unshare owned user time pid --monotonic-offset 1h
    # ...and a compose box its project's supervisor watches (the health fields, a step's cause).
    mkdir -p "$TMP/watched"
    printf '%s\n' 'services:' '  app:' '    image: busybox' '    command: ["busybox", "sleep", "60"]' \
        '    healthcheck: {test: ["CMD", "busybox", "true"], interval: 1s}' >"$TMP/watched/compose.yaml"
    gb compose -f "$TMP/watched/compose.yaml" -p watched up -d
    "$GLASSBOX" --root "$MODEL_ROOT" inspect full --json >"$TMP/full.json"
    "$GLASSBOX" --root "$MODEL_ROOT" inspect owned --json >"$TMP/owned.json"
    "$GLASSBOX" --root "$MODEL_ROOT" inspect watched-app-1 --json >"$TMP/watched.json"
    python3 book/tools/modelcheck.py book/src/reference/model.md "$TMP/full.json" "$TMP/owned.json" "$TMP/watched.json" ||
        fail "book/src/reference/model.md and inspect --json disagree (above): add or remove the rows"
fi

# --- 3. the lessons the book includes ---------------------------------------------
head -n 1 lessons/FORMAT.md | grep -q '^# ' ||
    fail "lessons/FORMAT.md: line 1 must be its '# ' heading (book/src/reference/lesson-format.md includes from line 2)"
# Every lesson the book includes must exist: the stage chapters name them.
missing=()
while read -r dir; do
    [[ -f $dir/lesson.toml && -f $dir/README.md && -f $dir/solution.sh ]] || missing+=("$dir")
done < <(grep -rhoE '\.\./lessons/[0-9]{2}-[a-z0-9-]+' book/src | sed 's|^\.\./||' | sort -u)
((${#missing[@]} == 0)) || fail "the book includes lessons that lack lesson.toml, README.md or solution.sh: ${missing[*]}"
# Each stage's README starts with its title, and the sidebar names it the same.
python3 book/tools/titles.py book/src/SUMMARY.md lessons ||
    fail "book/src/SUMMARY.md and the lessons disagree (above)"

# --- 4. mdbook build ------------------------------------------------------------
rm -rf book/book
if ! mdbook build book >"$TMP/mdbook.log" 2>&1; then
    cat "$TMP/mdbook.log" >&2
    fail "mdbook build book failed (output above)"
fi
if grep -E '\b(WARN|ERROR)\b|\[(WARN|ERROR)\]' "$TMP/mdbook.log" >&2; then
    fail "mdbook build book printed warnings or errors (above): a missing include or file only warns"
fi
say "mdbook build book: $(mdbook --version), no warnings"

# --- 5. the Korean book -----------------------------------------------------------
python3 book/tools/titles.py book-ko/src/SUMMARY.md lessons ||
    fail "book-ko/src/SUMMARY.md and the lessons' Korean titles (lesson.ko.toml) disagree (above)"
python3 book/tools/samebook.py book/src book-ko/src book-ko/PENDING ||
    fail "book-ko/ and book/ differ (above): translate the chapter the same way, or list it in book-ko/PENDING"
# After the English book: mdbook empties its build folder, and the Korean
# one is built inside the English one (book/book/ko/).
if ! mdbook build book-ko >"$TMP/mdbook-ko.log" 2>&1; then
    cat "$TMP/mdbook-ko.log" >&2
    fail "mdbook build book-ko failed (output above)"
fi
if grep -E '\b(WARN|ERROR)\b|\[(WARN|ERROR)\]' "$TMP/mdbook-ko.log" >&2; then
    fail "mdbook build book-ko printed warnings or errors (above)"
fi
say "mdbook build book-ko: no warnings"

# --- 6. the built HTML ------------------------------------------------------------
python3 book/tools/linkcheck.py book/book || fail "broken links or leftover includes in the built books (above)"

say "ok: the books are in book/book/ (open book/book/index.html; Korean: book/book/ko/index.html)"
