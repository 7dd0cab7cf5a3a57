# `glassbox lesson`: the frame around a lesson's own texts (those are in
# lessons/NN-*/lesson.toml and lesson.ko.toml).

lesson-heading = Lesson { $id }: { $title }
lesson-your-port = Your port for this lesson: { $port } (on 127.0.0.1; it comes from your glassbox root)
lesson-your-web = Your web page (while `glassbox serve` runs): { $url }
lesson-goal = Goal: { $goal }
lesson-concepts = Concepts: { $concepts }  (glassbox lesson glossary TERM)
lesson-steps-worked = Steps (a worked example):
lesson-work-out = Work out the commands: `glassbox lesson show` explains the idea, `glassbox lesson hint` helps.
lesson-lacks-skipped = note: this machine lacks { $what }; checks that need it will be skipped (fix: { $fix })
lesson-lacks = note: this machine lacks { $what } (fix: { $fix })
lesson-set-up-one = Set up: box { $boxes } (made afresh).
lesson-set-up-many = Set up: boxes { $boxes } (made afresh).
lesson-when-done = When you are done: glassbox lesson check. Stuck: glassbox lesson hint.
lesson-status-heading = Lesson { $id }: { $title } ({ $state }, hints asked { $asked }/{ $hints })
lesson-state-done = done
lesson-state-in-progress = in progress
lesson-state-not-started = not started
lesson-box-state = box { $name }: { $state }
lesson-questions = Questions (answer before you run: glassbox lesson answer { $id } N ANSWER):
lesson-answered-right = [answered { $given }: right]
lesson-answered-wrong = [answered { $given }: wrong]
lesson-score = questions: { $right }/{ $total } right
lesson-score-late = , { $late } answered late (after running what it asks about)
lesson-score-open = , not answered yet: { $open }
lesson-already-answered = Question { $n } was already answered: { $given } ({ $verdict }); the first answer counts.
lesson-verdict-right = right
lesson-verdict-wrong = wrong
lesson-right = Right.
lesson-not-right = Not right.
lesson-late = (answered after running what it asks you to predict: it counts as late)
lesson-score-line = Lesson { $id }: { $score }.
lesson-hint-for = Hint for "{ $what }" ({ $n } of { $of }): { $text }
lesson-hint = Hint { $n } of { $of }: { $text }
lesson-hint-check-last = (that is this check's last hint; `glassbox lesson hint` goes on with the lesson's own)
lesson-hint-last = (that is the last hint; `glassbox lesson solution` shows a worked solution)
lesson-no-more-hints = Lesson { $id } has no more hints.
lesson-hint-more = (`glassbox lesson hint` gives a more concrete one)
lesson-check-passed = passed
lesson-check-failed = FAILED
lesson-check-skipped = skipped
lesson-expected = expected: { $value }
lesson-actual = actual:   { $value }
lesson-skip-why = { $reason }; fix: { $fix }
lesson-all-done = All { $count } checks pass: lesson { $id } is done.
lesson-all-pass-questions = All { $count } checks pass, but the lesson is done only once every question is answered: glassbox lesson answer { $id } { $first } ANSWER
lesson-some-pass = { $ok } of { $count } checks pass.
lesson-some-pass-skipped = { $ok } of { $count } checks pass, { $skipped } skipped (a skipped check is not a pass: `glassbox doctor` says what this machine lacks).
lesson-next = Next: glassbox lesson start { $id }  ({ $title })
lesson-no-theory = (this lesson's README.md has no "## What and why" part)
lesson-read-book = Read more in the book: { $page } (built: book/book/, `mdbook serve book` to browse)
lesson-read-file = Read more: { $file }
lesson-see-web = See your box on the web page (while `glassbox serve` runs): { $url }

# What a check expected and found (`lesson check`'s expected/actual lines).
check-equals = equals { $value }
check-not-equals = is present and not { $value }
check-at-least = is at least { $n }
check-at-most = is at most { $n }
check-contains = contains { $text }
check-exists = exists
check-absent = is absent
check-count-at-least = has at least { $n } elements
check-count-equals = has exactly { $n } elements
check-model-expected = { $path } { $what }
check-box-exists = box { $name } exists
check-no-box = there is no box { $name } ({ $how })
check-no-box-restart = `glassbox lesson start` makes the lesson's boxes again
check-no-box-yours = the lesson asks you to make it: `glassbox lesson status` shows the steps
check-in-box = `{ $command }` in box { $name }
check-prints = prints { $text }
check-prints-containing = prints something containing { $text }
check-exit-code = exit code { $code }
check-exit-nonzero = exit code not 0 (it must fail)
check-not-running = box { $name } is { $state }: nothing runs in it, so nothing can be tried inside it
check-printed = printed { $text }, { $code }
check-killed-after = killed after { $secs }s
check-stderr = ; stderr: { $line }
check-fetch = GET { $url } from the host answers { $text }
check-fetch-containing = GET { $url } from the host answers something containing { $text }
check-answered = it answered { $text }

# `lesson dev-check`'s own lines (the problems it finds stay as they are:
# they name files and fields for lesson authors).
devcheck-no-lessons = dev-check: no lessons ({ $source })
devcheck-fail = FAIL
devcheck-ok = ok
devcheck-skip-strict = SKIP (--strict: fails)
devcheck-ok-skips = ok, with skips
devcheck-problem = problem: { $text }
devcheck-skipped = skipped: { $text }
devcheck-note = note: { $text }
devcheck-not-run = not run: this machine lacks { $missing }
devcheck-summary = { $lessons } lessons checked, { $failed } failed
devcheck-summary-strict = { $lessons } lessons checked, { $failed } failed (strict: skips fail)

# lesson list
lesson-list-none = No lessons ({ $source }).
lesson-col-lesson = LESSON
lesson-col-state = STATE
lesson-col-asked = ASKED
lesson-col-title = TITLE
lesson-state-current = current
lesson-list-done = { $done } of { $total } done. `glassbox lesson start ID` begins one (ID: 02, uts or 02-uts).
lesson-list-asked = ASKED: the hints you asked for with `glassbox lesson hint`, of those the lesson has.
