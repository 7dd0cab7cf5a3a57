# `glassbox lesson`: 실습 자체의 글(lessons/NN-*/lesson.toml과
# lesson.ko.toml에 있음)을 둘러싼 틀.

lesson-heading = 실습 { $id }: { $title }
lesson-your-port = 이 실습에서 쓸 포트: { $port } (127.0.0.1; glassbox 루트에서 정해집니다)
lesson-your-web = 내 웹 페이지(`glassbox serve`가 실행 중일 때): { $url }
lesson-goal = 목표: { $goal }
lesson-concepts = 개념: { $concepts }  (glassbox lesson glossary 용어)
lesson-steps-worked = 단계(풀이 예제):
lesson-work-out = 명령은 스스로 찾아내 보세요: `glassbox lesson show`가 개념을 설명하고, `glassbox lesson hint`가 도와줍니다.
lesson-lacks-skipped = 참고: 이 머신에는 { $what }이(가) 없어서, 그것이 필요한 확인은 건너뜁니다 (해결: { $fix })
lesson-lacks = 참고: 이 머신에는 { $what }이(가) 없습니다 (해결: { $fix })
lesson-set-up-one = 준비됨: 박스 { $boxes }(새로 만듦).
lesson-set-up-many = 준비됨: 박스 { $boxes }(모두 새로 만듦).
lesson-when-done = 다 했으면: glassbox lesson check. 막히면: glassbox lesson hint.
lesson-status-heading = 실습 { $id }: { $title } ({ $state }, 요청한 힌트 { $asked }/{ $hints })
lesson-state-done = 끝남
lesson-state-in-progress = 진행 중
lesson-state-not-started = 시작 전
lesson-box-state = 박스 { $name }: { $state }
lesson-questions = 질문(실행하기 전에 답하세요: glassbox lesson answer { $id } 번호 답):
lesson-answered-right = [답 { $given }: 맞음]
lesson-answered-wrong = [답 { $given }: 틀림]
lesson-score = 질문: { $total }개 중 { $right }개 맞음
lesson-score-late = , { $late }개는 늦게 답함(물어본 것을 실행한 뒤)
lesson-score-open = , 아직 답하지 않은 질문: { $open }
lesson-already-answered = 질문 { $n }에는 이미 답했습니다: { $given } ({ $verdict }). 첫 답이 기록됩니다.
lesson-verdict-right = 맞음
lesson-verdict-wrong = 틀림
lesson-right = 맞았습니다.
lesson-not-right = 틀렸습니다.
lesson-late = (예측하라고 한 것을 실행한 뒤에 답했으므로 늦은 답으로 기록됩니다)
lesson-score-line = 실습 { $id }: { $score }.
lesson-hint-for = "{ $what }"에 대한 힌트({ $of }개 중 { $n }번째): { $text }
lesson-hint = 힌트({ $of }개 중 { $n }번째): { $text }
lesson-hint-check-last = (이 확인의 마지막 힌트입니다. `glassbox lesson hint`는 이제 실습 자체의 힌트를 이어서 보여 줍니다)
lesson-hint-last = (마지막 힌트입니다. `glassbox lesson solution`이 풀이를 보여 줍니다)
lesson-no-more-hints = 실습 { $id }에는 힌트가 더 없습니다.
lesson-hint-more = (`glassbox lesson hint`가 더 구체적인 힌트를 줍니다)
lesson-check-passed = 통과
lesson-check-failed = 실패
lesson-check-skipped = 건너뜀
lesson-expected = 기대한 값: { $value }
lesson-actual = 실제 값:   { $value }
lesson-skip-why = { $reason }; 해결: { $fix }
lesson-all-done = 확인 { $count }개가 모두 통과했습니다: 실습 { $id }을(를) 마쳤습니다.
lesson-all-pass-questions = 확인 { $count }개가 모두 통과했지만, 질문에 모두 답해야 실습이 끝납니다: glassbox lesson answer { $id } { $first } 답
lesson-some-pass = 확인 { $count }개 중 { $ok }개 통과.
lesson-some-pass-skipped = 확인 { $count }개 중 { $ok }개 통과, { $skipped }개 건너뜀(건너뛴 확인은 통과가 아닙니다: 이 머신에 무엇이 없는지는 `glassbox doctor`가 알려 줍니다).
lesson-next = 다음: glassbox lesson start { $id }  ({ $title })
lesson-no-theory = (이 실습의 README에는 "무엇을, 왜" 부분이 없습니다)
lesson-read-book = 책에서 더 읽기: { $page } (빌드 결과는 book/book/, `mdbook serve book`으로 열람)
lesson-read-file = 더 읽기: { $file }
lesson-see-web = 웹 페이지에서 내 박스 보기(`glassbox serve`가 실행 중일 때): { $url }

# 확인이 기대한 것과 찾은 것(`lesson check`의 기대한 값/실제 값 줄).
check-equals = { $value }와(과) 같다
check-not-equals = 있고 { $value }이(가) 아니다
check-at-least = { $n } 이상이다
check-at-most = { $n } 이하이다
check-contains = { $text }을(를) 포함한다
check-exists = 있다
check-absent = 없다
check-count-at-least = 원소가 { $n }개 이상이다
check-count-equals = 원소가 정확히 { $n }개다
check-model-expected = { $path }: { $what }
check-box-exists = 박스 { $name }이(가) 있다
check-no-box = 박스 { $name }이(가) 없습니다({ $how })
check-no-box-restart = `glassbox lesson start`가 실습의 박스를 다시 만듭니다
check-no-box-yours = 실습이 여러분에게 만들라고 하는 박스입니다: `glassbox lesson status`가 단계를 보여 줍니다
check-in-box = 박스 { $name } 안의 `{ $command }`이(가)
check-prints = { $text }을(를) 출력
check-prints-containing = { $text }이(가) 들어간 것을 출력
check-exit-code = 종료 코드 { $code }
check-exit-nonzero = 종료 코드가 0이 아님(실패해야 함)
check-not-running = 박스 { $name }은(는) { $state } 상태입니다: 그 안에서 실행 중인 것이 없어 안에서 아무것도 해 볼 수 없습니다
check-printed = { $text }을(를) 출력, { $code }
check-killed-after = { $secs }초 뒤 강제로 끝남
check-stderr = ; stderr: { $line }
check-fetch = 호스트에서 GET { $url }이(가) { $text }(으)로 답한다
check-fetch-containing = 호스트에서 GET { $url }이(가) { $text }이(가) 들어간 것으로 답한다
check-answered = { $text }(으)로 답했습니다

# `lesson dev-check` 자체의 줄 (찾아낸 문제는 그대로 둔다: 실습 작성자에게
# 파일과 필드 이름을 알려 주는 것이므로).
devcheck-no-lessons = dev-check: 실습이 없습니다 ({ $source })
devcheck-fail = 실패
devcheck-ok = 통과
devcheck-skip-strict = 건너뜀 (--strict: 실패로 침)
devcheck-ok-skips = 통과, 건너뛴 검사 있음
devcheck-problem = 문제: { $text }
devcheck-skipped = 건너뜀: { $text }
devcheck-note = 참고: { $text }
devcheck-not-run = 실행 안 함: 이 머신에 { $missing }이(가) 없습니다
devcheck-summary = 실습 { $lessons }개 검사, { $failed }개 실패
devcheck-summary-strict = 실습 { $lessons }개 검사, { $failed }개 실패 (strict: 건너뛴 검사도 실패)

# lesson list
lesson-list-none = 실습이 없습니다({ $source }).
lesson-col-lesson = 실습
lesson-col-state = 상태
lesson-col-asked = 힌트
lesson-col-title = 제목
lesson-state-current = 진행 중
lesson-list-done = { $total }개 중 { $done }개를 끝냈습니다. `glassbox lesson start ID`로 하나를 시작합니다(ID: 02, uts, 02-uts).
lesson-list-asked = 힌트: `glassbox lesson hint`로 요청한 힌트 수 / 그 실습의 힌트 수.
