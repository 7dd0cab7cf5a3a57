# CLI 명령 자신의 줄: 데몬, 풀(pool), `image inspect`, `lesson progress`(강사용 보고), 경고.

warning = 경고: { $what }
warning-hosts-not-written = { $name }에 /etc/hosts를 쓰지 못했습니다
warning-rollout-not-written = { $service }의 롤아웃 기록을 쓰지 못했습니다: { $error }
warning-rollback-not-kept = { $service }: 롤백할 이미지를 남겨 두지 못했습니다: { $error }
warning-removed-not-kept = { $error } (지운 박스의 기록을 남기지 못했습니다)
warning-maybe-in-pool = { $name }이(가) 아직 풀(pool)에 이름이 남아 있을 수 있습니다({ $error }): glassbox pool ls
warning-probes-counted = { $error } (검사가 직접 해 본 것이 다음에 여러분이 한 것으로 셈해질 수 있습니다)

daemon-would-listen = { $path }에서 기다리다가 요청마다 그 단계를 glassbox 명령으로 실행할 것입니다
daemon-serving = glassbox 데몬: { $path }에서 Docker Engine API를 제공합니다
daemon-try = 해 보기:
daemon-note = 참고: { $note }
daemon-stopped = glassbox 데몬: 멈췄습니다. 컨테이너는 계속 실행되고, 새 데몬이 다시 맡습니다
daemon-step = 단계:
daemon-exec = { $name }에서 exec { $id }:
daemon-tag = tag: 이제 glassbox 이미지 { $name }도 { $id }입니다
daemon-kill = { $name } 박스의 init 프로세스가 시작한 프로세스마다 kill({ $name }, { $signal })

pool-serves = { $name }이(가) 풀(pool) { $pool }에서 요청을 받습니다: 127.0.0.1:{ $port } -> { $address }:{ $box_port }
pool-drained = { $name }: { $seconds }초 만에 드레인했고, 풀(pool) { $pool }에서 뺐습니다
pool-still-open = { $name }: { $patience } 뒤에도 연결 { $count }개가 열려 있지만 풀(pool) { $pool }에서 뺐습니다
pool-no-answer = { $name }: 풀(pool) { $pool }의 밸런서가 { $patience } 안에 답하지 않았지만 풀에서 뺐습니다
pool-removed = 풀(pool) { $pool }을(를) 지웠습니다: { $ports }을(를) 닫았습니다
pool-no-port = 포트 없음
pool-col-pool = 풀
pool-col-ports = 포트
pool-col-members = 멤버
pool-balancer-gone = (밸런서 없음)

image-inspect-title = 이미지 { $name } ({ $source }에서)
image-inspect-no-config = 설정: 없음(run에 명령이 필요합니다: glassbox run BOX -- CMD)
image-inspect-layers = 레이어({ $count }개, 아래부터):
image-inspect-files = 파일

class-none = { $path } 아래에 학생 루트가 아직 없습니다: 학생이 처음 `sudo glassbox lesson start`를 하면 그 학생의 루트가 생깁니다.
class-col-user = 사용자
class-col-current = 지금 실습
class-col-done = 완료
class-col-right = 정답
class-col-hints = 힌트
class-col-lessons = 마친 실습
class-legend = 정답: 답한 질문 중 맞힌 질문. 힌트: `lesson hint`로 요청한 힌트.

serve-serving = glassbox: { $url }에서 웹 페이지를 제공합니다  (브라우저로 여세요. Ctrl-C로 멈춥니다)
export-would-write = 이미지 { $name }을(를) { $format } 아카이브로 { $path }에 쓸 것입니다
export-written = 이미지 { $name }을(를) { $path }에 썼습니다({ $format } 형식, 레이어 { $count }개, { $size })
export-try = 해 보기:
export-bundle-no-time = 참고: runc 설정에는 타임 네임스페이스가 없습니다. 번들은 호스트의 시계로 실행됩니다
export-bundle-written = 박스 { $name }의 번들을 { $path }에 썼습니다(config.json, rootfs/)
import-layer-files = 파일 { $count }개, { $size }
import-layer-gone = (없어짐: 그사이 다른 가져오기가 이미지 { $name }을(를) 바꿨습니다)
compose-image-kept = { $service }: 복제본이 실행하는 그대로의 이미지를 롤백용으로 { $kept }(으)로 남겨 두었습니다

lesson-course-done = 마지막 실습이었고, { $count }개를 모두 마쳤습니다: 커널 기능을 하나씩 써서 컨테이너를 손으로 만들었습니다. 끝!
lesson-last-but-left = 순서상 마지막 실습이었지만, { $count }개 중 { $left }개를 아직 마치지 않았습니다({ $list }): glassbox lesson start { $first }
lesson-setup-failed = glassbox: 실습 { $lesson }을(를) 준비하지 못했습니다: { $error }
lesson-setup-hint = glassbox: 이 머신에 없는 것은 `glassbox doctor`가 알려 줍니다. 만든 것은 `glassbox lesson reset`이 지웁니다
lesson-solution-note = 참고: 실습 { $lesson }을(를) 아직 통과하지 않았습니다. 이것은 통과하는 방법 중 하나입니다(다음에는 먼저 `glassbox lesson hint`를 써 보세요)
build-dry-run = (dry run: 아무것도 빌드하지 않았습니다)
history-col-layer = 레이어
history-col-size = 크기
history-col-build = 빌드
history-col-created-by = 만든 줄
history-config-only = 설정만
