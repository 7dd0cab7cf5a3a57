# 웹 페이지 안의 글: 박스·호스트·실습 페이지의 문장, 툴팁, 게이지, 그림,
# 레이어 스택(틀, 제목, 표의 이름표는 web.ftl). 안의 명령은 { $values }로,
# 코드로 보인다.

# 박스 요약.
web-half-made-by = { $step }에서 반쯤 만들어짐: { $command }
web-box-of-lesson = 지금 실습의 박스:
web-own-namespaces-label = 자기 네임스페이스
web-user-map-text = 안쪽 uid/gid 0..{ $last } = 호스트의 { $first }..{ $end }
web-clocks-text = monotonic { $mono }초, boottime { $boot }초
web-hostname-hosts = (호스트의 것)
web-health-recorded = { $line } (컴포즈 프로젝트의 감독 프로세스가 기록한 것: { $command })

# 그림: 이름표와, 화면 낭독기를 위한 설명.
web-diagram-title = 박스 { $name }: 네임스페이스의 벽과, 자기가 속한 벽 안에 선 프로세스
web-diagram-order = 바깥에서 안으로: { $order }.
web-diagram-no-walls = 자기 네임스페이스 없음
web-diagram-chip = 호스트 pid { $pid }({ $line })는 벽 { $depth }개 안에 있습니다{ $outside }.
web-diagram-pod = 가장 바깥 벽 { $n }개가 파드를 둘러쌉니다:
web-diagram-pod-box = 박스 { $name }({ $what }).
web-diagram-this-page = 이 페이지
web-diagram-this-box = 박스 { $name } (이 페이지)
web-diagram-other-box = 박스 { $name } →
web-diagram-host = 호스트
web-diagram-host-shared = 호스트 · 공유: { $kinds }
web-wall-made-by = { $kind } · 만든 쪽: { $maker }
web-wall-ns-made-by = { $kind } 네임스페이스 { $inode } · 만든 쪽: { $maker }
web-wall-ns = { $kind } 네임스페이스 { $inode }
web-diagram-no-process = 프로세스 없음
web-chip-outside-pid = pid 네임스페이스 밖
web-chip-host-pid = 호스트 pid { $pid }
web-chip-outside = 바깥: { $kinds }
web-pod-host = (호스트 { $pid })

# 컨트롤 그룹(cgroup) 게이지, 차트, 카운터.
web-meter-memory = 메모리
web-meter-cpu = CPU
web-meter-pids = 프로세스 (pids)
web-no-limit = 제한 없음
web-cpus = CPU { $n }개
web-meter-no-limit = { $used }, 제한 없음
web-chart-memory-label = 최근 몇 분 동안의 메모리
web-chart-cpu-label = 최근 몇 분 동안의 CPU
web-chart-pids-label = 최근 몇 분 동안의 프로세스
web-kept-by = 이 페이지가 열려 있는 동안 { $serve }가 모아 둡니다
web-counters = cgroup 카운터
web-counter-oom-kills = OOM 킬
web-counter-oom-kills-why = 박스가 메모리 제한을 넘어서 커널이 죽인 프로세스
web-counter-limit-hits = 메모리가 제한에 닿은 횟수
web-counter-limit-hits-why = 제한에 닿아 먼저 메모리를 회수해야 했던 할당(v2 memory.events max, v1 memory.failcnt). 이것이 세어지지 않고도 OOM 킬이 일어날 수 있습니다
web-counter-peak = 메모리 최고치
web-counter-peak-why = 박스가 한 번에 가장 많이 쓴 양
web-counter-cpu-time = CPU 시간
web-counter-cpu-time-why = 지금까지 모든 프로세스가 쓴 CPU 시간
web-counter-throttled-periods = 스로틀링된 주기
web-counter-throttled-periods-why = 박스가 CPU 할당량을 다 써서 기다려야 했던 100 ms 주기
web-counter-throttled-time = 스로틀링된 시간
web-counter-throttled-time-why = 프로세스들이 다음 주기를 기다린 시간
web-seconds = { $n }초
web-layout-unified = cgroup v2 (unified): 트리 하나, 하위 트리마다 컨트롤러를 켭니다
web-layout-hybrid = hybrid: 컨트롤러가 cgroup v1 트리에 있고 v2 트리에는 없어서 glassbox는 v1을 씁니다
web-layout-legacy = cgroup v1 (legacy): 컨트롤러마다 트리 하나

# 단계: 단계를 만든 요청과, 각 단계가 바꾼 것.
web-request-made-by = 이 단계들을 만든 요청:
web-request-body = 본문
web-request-step = 단계 { $first }
web-request-steps = 단계 { $first }–{ $last }
web-after = +{ $n }초
web-actor-host = 호스트
web-actor-helper = 도우미
web-fact-state = 상태
web-fact-namespace = { $kind } 네임스페이스
web-fact-its-own = 자기 것
web-fact-hosts = 호스트의 것
web-fact-user-map = 안쪽 0..{ $count } = 호스트의 { $outside }..
web-fact-limit = { $kind } 제한
web-fact-mounted = 마운트됨, pivot_root 끝남
web-fact-not-mounted = 마운트 안 됨
web-fact-volume = 볼륨 { $path }
web-fact-mount = 마운트 { $path }
web-fact-port = 포트 { $port }
web-fact-published = 게시됨

# 프로세스와 네임스페이스.
web-ps-caption = { $count }, 트리로 (형제는 안쪽 pid 순서)
web-role-init = init 프로세스 (PID 1)
web-role-main = 메인 프로세스
web-not-in-its = 박스의 { $kinds } 네임스페이스 밖
web-pid-outside = - (바깥)
web-uid-unmapped = 65534 (매핑 안 됨)
web-ns-intro = 홀드는 { $dir } 아래에 있습니다. 종류마다 박스의 네임스페이스를 호스트의 것 옆에 둡니다. inode가 같으면 호스트와 공유합니다. 네임스페이스는 프로세스마다 따로입니다: 나중의 { $unshare }보다 먼저 시작한 프로세스는 예전 네임스페이스에 남습니다(표시됨).
web-host-inodes = 호스트 inode:
web-yes = 예
web-no = 아니요
web-not-in-it = 들어 있지 않음: pid
web-held-shared = - (호스트와 공유)
web-held-bind = 바인드 마운트 { $path }
web-held-init = 프로세스 { $pid } (glassbox-init, 안쪽 PID 1)
web-held-nothing = 없음: init(프로세스 { $pid })가 끝나면서 네임스페이스도 함께 사라졌습니다
web-host-ref-pid1 = 호스트의 네임스페이스는 PID 1의 것입니다(/proc/1/ns, lsns가 보여 주는 대로)
web-host-ref-glassbox = glassbox 자신의 네임스페이스(/proc/self/ns)가 호스트의 것을 대신합니다: { $file }을(를) 읽을 수 없습니다({ $error })

# 루트 파일시스템: 레이어 스택과 레이어별 파일.
web-image = 이미지
web-mounted-as = pivot_root로 { $root }에 마운트됨
web-not-mounted-yet = 아직 마운트 안 됨 ({ $command }를 실행하세요)
web-stack-label = 레이어 스택, 위부터
web-band-volume = { $path }의 볼륨
web-band-read-only = (읽기 전용)
web-band-bind = { $path }의 바인드 마운트
web-band-waits = (rootfs가 마운트함)
web-layer-container = 컨테이너 레이어
web-layer-committed = 커밋된 레이어
web-layer-added = 추가한 레이어
web-layer-image = 이미지 레이어
web-writable = (쓰기 가능)
web-layers-only = (레이어만)
web-made-by = 만든 줄:
web-made-by-box = 박스
web-made-by-commit = 커밋
web-made-by-image = 이미지
web-source-writable = 쓰기 가능
web-source-box = 박스 { $name } (박스와 함께 지워짐)
web-source-image = 이미지 { $name }
web-mark-added = + 추가됨
web-mark-changed = ~ 바뀜
web-mark-deleted = − 지워짐 (화이트아웃)
web-mark-opaque = ▣ 불투명 폴더
web-mark-hidden = 취소선: 위 레이어에 가려짐
web-files-label = 이 레이어의 파일
web-file-deleted = 지워짐
web-file-dir = 폴더
web-file-file = 파일
web-file-symlink = 심볼릭 링크
web-file-other = 기타
web-hides-below = 아래의 { $size }를 가림
web-wasted = { $size } 낭비 (위에서 가려짐)
web-more-entries = … 여기 보인 것보다 항목이 더 있습니다: { $command }가 컨테이너 레이어의 항목을 모두 보여 줍니다.

# 마운트, 네트워크, 출력.
web-no-mount-reader = 박스의 마운트 네임스페이스 안에 마운트 테이블을 읽어 줄 프로세스가 없습니다: 하나 실행하세요({ $command }).
web-mounts-caption = 안에서 { $command }가 보여 주는 { $count }
web-noun-mount = 마운트
web-net-caption = 박스의 연결
web-net-host-end = (veth 쌍의 호스트 쪽: { $veth })
web-none = 없음
web-port-in-box = → 박스 안의 포트 { $port }
web-log-label = 박스 출력 로그의 끝부분

# 호스트 페이지.
web-host-intro = 종류별로 묶은 { $count } ({ $lsns }처럼).
web-noun-namespace = 네임스페이스
web-mark-host = 호스트
web-host-legend-host = 호스트 자신의 것
web-host-legend-box = glassbox 박스가 붙잡고 있는 것
web-host-lives = 네임스페이스는 안에 프로세스가 있거나 바인드 마운트가 붙잡고 있는 동안 살아 있습니다.
web-kind-isolates = — 격리하는 것: { $what }
web-kind-namespaces = { $kind } 네임스페이스
web-col-first-pid = 첫 pid
web-col-command = 명령
web-col-whose = 누구의 것
web-box-named = 박스 { $name }

# 실습 페이지.
web-lesson-heading = 실습
web-lesson-done = 완료: 모든 확인 통과
web-lesson-not-done = 아직 통과 못 함
web-hints-shown = 힌트 { $n }개 봄
web-book-chapter = 책의 장:
web-chapter-served = ({ $file }; { $command }가 그 주소로 보여 줍니다)
web-checks = 확인
web-no-lesson = 아직 실습이 없습니다
web-start-lesson = 하나 시작하세요: { $list }, 그다음 { $start }. 그러면 이 페이지가 그 확인들을 보여 줍니다.

# 개요의 제한 칸(pids와 cpuset은 이름 그대로).
web-limit-io-weight = io 가중치

# 컴포즈 박스의 헬스체크(healthcheck) 결과: 프로젝트의 감독 프로세스가 기록한 것.
state-healthy = 정상
state-unhealthy = 비정상
state-starting = 시작 중
web-health-status = 상태: { $status } (검사 { $checks }번 중 연속 실패 { $streak }번)
web-health-status-last = 상태: { $status } (검사 { $checks }번 중 연속 실패 { $streak }번, 마지막: { $last })
web-health-restarts = 재시작: { $n }번
web-health-restarts-of = 재시작: { $n }/{ $limit }번
web-health-last-exit = (마지막 종료 코드 { $code })
