# `--help`: src/cli/의 도움말을 같은 id로.
help-heading-commands = 명령
help-heading-usage = 사용법
help-heading-options = 옵션
help-heading-arguments = 인자
help-subcommand-help = 이 도움말이나 주어진 하위 명령의 도움말을 출력합니다
help--long =
    glassbox: 속이 들여다보이는 컨테이너 런타임.
    
    컨테이너를 격리 단계 하나씩 만들어 가며, 단계마다 커널이 무엇을
    쥐고 있는지 봅니다. 이렇게 시작하세요:
    
      glassbox create demo
      glassbox --explain unshare demo uts --hostname inside
      glassbox run demo -- hostname
      glassbox inspect demo
      glassbox history demo --script
      glassbox rm demo
help = glassbox: 속이 들여다보이는 컨테이너 런타임.
help-create = 빈 박스를 새로 만듭니다
help-unshare = 박스에 새 네임스페이스를 줍니다. 호출 한 번이 한 단계입니다
help-run = 박스 안에서 프로세스를 시작합니다 (단계로 기록됨)
help-exec = 실행 중인 박스 안에서 프로세스를 하나 더 시작합니다. `docker exec`와 같습니다
help-stop = 박스의 프로세스를 끝냅니다
help-rm = 박스를 지웁니다: 프로세스, 네임스페이스 홀드, 기록까지
help-ls = 박스 목록
help-ps = 박스의 프로세스: 호스트 pid, 안쪽 pid, 안쪽 부모, 명령
help-inspect = 박스에 대한 모든 것
help-history = 박스에 적용한 단계들과 각 단계의 커널 작업
help-reset = 이 루트 아래에 glassbox가 만든 것을 모두 지웁니다
help-limit = 박스를 자기 cgroup에 넣고 쓸 수 있는 자원을 정합니다
help-stats = 박스 cgroup의 사용량을 1초마다 보여 줍니다
help-net = 박스를 다른 박스들과 연결합니다 (veth 쌍, 브리지)
help-publish = 호스트 루프백의 TCP 포트를 박스 안으로 전달합니다
help-serve = 실시간 웹 페이지를 띄웁니다: 프로세스 트리, 네임스페이스, 레이어, cgroup
help-daemon = Unix 소켓으로 Docker Engine API를 제공해서 `docker`가 glassbox를 움직이게 합니다.
help-volume = 볼륨: 박스보다 오래 남는 데이터. 박스에 바인드 마운트됩니다
help-volume-create = 이름 있는 볼륨을 만듭니다 (상태 루트 아래의 폴더)
help-volume-ls = 이름 있는 볼륨 목록: 크기와 그 볼륨을 마운트한 박스
help-volume-inspect = 이름 있는 볼륨 하나를 JSON으로
help-volume-rm = 이름 있는 볼륨과 그 데이터를 지웁니다 (박스가 마운트하고 있으면 거부)
help-volume-add =
    볼륨을 박스에 마운트합니다: NAME:/path 또는 /host/path:/path, 읽기 전용은
    `:ro`. `rootfs` 전이면 `rootfs`가 마운트하고, 그 뒤라면 실행 중인 박스에도
    바로 마운트합니다. 호스트 폴더는 이미 있어야 하며, glassbox는 폴더를
    만들지 않습니다.
help-image = 이미지: 레이어로 이루어진 루트 파일시스템의 읽기 전용 템플릿
help-image-ls = 이미지 목록: 이름, 레이어, 크기
help-image-import = `docker save` 아카이브, OCI 이미지 레이아웃(tar 또는 폴더), 또는 `docker export`가 만드는 것 같은 일반 루트 파일시스템 tar(.gz)를 가져옵니다
help-image-busybox = 호스트의 busybox-static으로 이미지를 만듭니다 (오프라인)
help-image-from-host = 호스트 프로그램과 그 프로그램이 불러오는 라이브러리로 이미지를 만듭니다
help-image-rm = 이미지를 지웁니다 (박스가 쓰고 있으면 거부)
help-image-inspect = 이미지의 설정(Cmd, Entrypoint, Env, WorkingDir, User, 포트, 레이블, 볼륨)과 레이어. 전체 OCI 설정은 --json으로
help-image-history = 이미지를 만든 줄마다 한 행: 그 줄, 레이어(또는 "config only"), 크기, 빌드했는지 캐시에서 가져왔는지, 걸린 시간
help-image-export = 이미지를 `docker save` tar나 OCI 이미지 레이아웃 tar로 씁니다 (`podman load`, `docker load`, `skopeo`용)
help-rootfs = 박스에 자기 루트 파일시스템을 줍니다
help-layer = 박스 루트 파일시스템의 레이어
help-layer-add = 박스의 레이어 스택 맨 위에 읽기 전용 레이어를 하나 더 얹습니다. 폴더, 레이어 tar, 이미지의 레이어에서 가져오며, 저장소로 복사하므로 나중에 원본을 바꿔도 스며들지 않습니다
help-diff = 박스의 컨테이너 레이어에 든 것. `docker diff`처럼 A는 추가, C는 변경, D는 삭제
help-commit = 박스의 컨테이너 레이어를 새 이미지로 만듭니다
help-caps = 박스의 프로세스가 지니는 케이퍼빌리티 (박스 init 필요: `unshare pid`)
help-seccomp = 박스 프로세스의 모든 시스템 콜에 거는 seccomp 필터
help-nnp = no_new_privs: setuid 프로그램과 파일 케이퍼빌리티가 아무 권한도 주지 못합니다
help-devices = 박스가 만들고 읽고 쓸 수 있는 디바이스 노드
help-mask = 박스 안의 커널 파일을 가리거나 읽기 전용으로 만듭니다
help-harden = 위 다섯 가지를 Docker 기본값으로, 기록되는 다섯 단계로 적용합니다
help-build = Dockerfile로 이미지를 빌드합니다: 줄마다 레이어 하나 또는 설정 변경 하나
help-export = 박스를 OCI 런타임 번들(config.json + rootfs/)로 내보냅니다
help-lesson = 자동 검사가 딸린 안내형 실습. 컨테이너판 rustlings입니다.
help-lesson-list = 모든 실습: 끝냈는지, 지금 실습인지, 쓴 힌트 수
help-lesson-start = 실습을 준비하고(박스를 새로 만듦) 목표와 질문을 출력합니다
help-lesson-show = 실습의 이론, 책의 장, 이 실습의 웹 페이지
help-lesson-answer = 실습 질문에 답합니다: 먼저 예측하고, 그다음 실행합니다
help-lesson-glossary = 실습에 나오는 용어의 뜻 (영어와 한국어)
help-lesson-progress = 내 진도. 강사에게는 이 머신의 모든 학생 진도
help-lesson-status = 실습의 목표, 질문, 박스, 내 진도
help-lesson-check = 내 작업을 검사합니다: 검사마다 통과, 실패(기댓값과 실제 값), 건너뜀(이 머신에 무언가 없음: 통과로 치지 않음). 모든 검사를 통과해야 종료 코드 0
help-lesson-hint = 다음 힌트: 먼저 실패한 첫 검사의 힌트, 그다음 실습 자체의 힌트. 뒤로 갈수록 더 구체적입니다
help-lesson-solution = 풀이(solution.sh)를 출력합니다
help-lesson-reset = 실습의 박스를 지우고 진도를 잊습니다
help-lesson-dev-check = 실습 작성자용: 임시 루트에서 각 실습이 start 뒤에 실패하고, solution.sh 뒤에 통과하고, wrong/*.sh마다 실패하는지 증명합니다. --strict는 풀이를 두 번 실행하고(검사는 각각 세 번) 건너뛴 검사, 채점할 수 없는 질문, 용어집에 없는 개념도 실패로 칩니다. GLASSBOX_LESSONS_DIR=DIR이면 내장 실습 대신 DIR의 실습을 검사합니다
help-compose = compose.yaml 하나로 여러 박스를 만듭니다. 박스마다 평범한 glassbox 단계로 이루어집니다.
help-compose-up = 서비스의 박스를 만들고 시작합니다 (의존 대상부터)
help-compose-down = 프로젝트의 박스를 지웁니다 (-v를 주면 이름 있는 볼륨도)
help-compose-ps = 프로젝트의 박스: 서비스, 상태, 헬스, 재시작 횟수, 풀, 이미지(업데이트 중에는 옛 이미지에 표시), 주소, 포트. 그리고 서비스마다 마지막 롤아웃
help-compose-logs = 서비스의 주 프로세스가 출력한 내용
help-compose-exec = 서비스의 첫 박스에서 명령을 실행합니다. `glassbox exec`와 같습니다
help-compose-config = glassbox가 읽은 대로 파일을 출력합니다 (변수는 치환됨)
help-compose-scale = 서비스의 박스 수를 정합니다: SERVICE=N으로 복제본을 늘리거나 줄입니다
help-doctor = 이 머신에서 모든 실습을 할 수 있을까요? 무엇이 없고 어떻게 고치는지
help-completions = bash, zsh, fish용 탭 자동 완성을 출력합니다
help-man = glassbox(1) 매뉴얼 페이지를 출력합니다 (roff)
help--root = 모든 상태(박스, 네임스페이스 홀드)를 /var/lib/glassbox와 /run/glassbox 대신 DIR 아래에 둡니다. 테스트와 수업은 저마다 하나씩 씁니다. 이 옵션이 없으면 `sudo glassbox`는 실행한 사용자의 루트 /var/lib/glassbox/users/$SUDO_USER를 씁니다(박스, 실습, 포트가 따로). DIR은 가리키는 실제 경로(./DIR, DIR/, 그곳으로의 심볼릭 링크)로 받아들이며, 글자, 숫자와 / . _ - + @ % = 만 쓸 수 있습니다
help--explain = 커널 작업을 실행하면서 하나씩 출력합니다: 시스템 콜, 같은 일을 하는 셸 명령, 그리고 이유
help--dry_run = 단계가 수행할 작업을 출력만 하고 아무것도 바꾸지 않습니다
help--json = 기계가 읽는 출력
help--lang = 메시지 언어: en 또는 ko. 없으면 GLASSBOX_LANG, 그다음 LC_ALL / LC_MESSAGES / LANG(ko_KR.UTF-8이면 한국어), 그 밖에는 영어. --json은 두 언어에서 같습니다 (코드와, 필드로 든 메시지)
help--version = 버전을 출력합니다
help--help = 도움말을 출력합니다
help--name = 박스
help--detach = 분리 실행: 백그라운드에서 시작하고 출력은 박스의 로그로
help--interactive = 표준 입력을 열어 둡니다 (기본값. `docker run -it` 습관을 위해 받아들임)
help--tty = 명령에 의사 터미널을 줍니다. 셸과 편집기용: -it
help--env = 환경 변수를 설정합니다. 이미지의 Env보다 우선 (여러 번 쓸 수 있음)
help--workdir = 박스 안의 작업 폴더. 이미지의 WorkingDir보다 우선 (없으면 만듦)
help--user = USER[:GROUP]으로 실행합니다 (이미지의 /etc/passwd에 있는 이름, 또는 숫자). 이미지의 User보다 우선
help--entrypoint = run 전용: 이미지의 Entrypoint 대신 이 프로그램을, 그 Cmd 없이 실행합니다 (docker run --entrypoint와 같음). ""이면 Entrypoint를 아예 쓰지 않습니다
help--argv = 명령과 그 인자, `--` 뒤에 (run: 주지 않으면 이미지의 Entrypoint와 Cmd)
help--force = 같은 이름의 이미지가 이미 있으면 바꿉니다
help--id = 실습 (기본값: 지금 실습)
help-create--name = 박스 이름: a-z 0-9 _ . - 중에서 1-63자 (글자나 숫자로 시작)
help-create--project = 박스에 compose 프로젝트 레이블을 붙입니다 (`glassbox compose`가 붙이며, `compose ps`와 웹 페이지가 이것으로 박스를 묶습니다)
help-unshare--kinds = uts ipc net pid mnt user cgroup time, 또는 all
help-unshare--hostname = 새 uts 네임스페이스 안의 호스트 이름 (기본값: 박스 이름)
help-unshare--map_root_to = 새 유저 네임스페이스 안의 root가 매핑될 호스트 uid(와 gid). 거기서부터 id 65536개를 매핑합니다. 기본값 100000
help-unshare--monotonic_offset = 새 타임 네임스페이스의 CLOCK_MONOTONIC 오프셋: 초, 또는 단위를 붙여서 (90m, 2h, 1d)
help-unshare--boottime_offset = 새 타임 네임스페이스의 CLOCK_BOOTTIME 오프셋
help-unshare--join = 새로 만들지 않고 이 박스의 해당 종류 네임스페이스를 함께 씁니다 (net ipc uts pid mnt). Kubernetes 파드의 컨테이너들이 하듯이
help-run--name = 박스 (exec라면 실행 중이어야 함)
help-exec--name = 박스 (exec라면 실행 중이어야 함)
help-stop--timeout = SIGTERM 뒤 SIGKILL 전까지 기다릴 초
help-rm--force = 실행 중인 박스도 지우고, 중간에 죽은 명령의 뒷정리도 합니다
help-inspect--path = 박스 안의 경로가 어느 레이어에서 왔는지 알려 줍니다
help-history--script = 박스를 다시 만드는 표준 도구(unshare, nsenter, mount, ip)의 bash 스크립트를 출력합니다: 같은 방식으로 붙잡은 네임스페이스, cgroup과 제한, 루트 파일시스템, 볼륨, 네트워크
help-reset--volumes = 이름 있는 볼륨의 데이터도 지웁니다
help-limit--memory = 메모리 제한. 넘으면 커널이 박스의 프로세스 하나를 OOM 킬합니다. --memory-swap으로 따로 정하지 않으면 스왑도 0으로 제한합니다
help-limit--memory_swap = --memory 위에 박스가 더 쓸 수 있는 스왑 (0이면 없음)
help-limit--cpus = CPU 시간을 CPU 개수로: 0.5는 CPU 하나의 절반
help-limit--pids = 동시에 둘 수 있는 최대 프로세스 수. 넘으면 fork()가 EAGAIN으로 실패합니다
help-limit--cpuset = 박스가 돌 수 있는 CPU, 예: 0 또는 0-1,3
help-limit--io_weight = 디스크 시간의 몫, 1에서 10000 (기본값 100)
help-stats--count = 표본을 이만큼 뽑고 멈춥니다 (0: Ctrl-C까지 계속)
help-net--ip = 박스의 주소, 예: 10.88.0.7/24 (기본값: 다음 빈 주소)
help-net--subnet = 이 명령이 브리지를 만들 때 브리지의 /24 (기본 루트는 10.88.0.0/24, 그 밖에는 루트마다 하나)
help-net--network = 자기만의 네트워크: 루트의 브리지 대신 NAME을 딴 브리지 (처음 쓸 때 만들고, 마지막 박스와 함께 지움). 두 네트워크의 박스는 링크를 함께 쓰지 않습니다. compose는 프로젝트마다 하나씩 줍니다
help-publish--name = 박스 (`glassbox net`으로 연결된)
help-publish--ports = HOSTPORT:BOXPORT
help-publish--allow_low_port = 1024보다 낮은 호스트 포트를 허용합니다
help-publish--also = 포트를 함께 쓸 다른 연결된 박스 (여러 번 쓸 수 있음): 연결은 차례로 다음 박스로 가고, 거부하는 박스는 건너뜁니다 (포트 하나 뒤의 compose 복제본)
help-serve--listen = 들을 ADDRESS:PORT (포트 0: 아무 빈 포트). 기본값 127.0.0.1:7878, 다른 --root는 자기 포트
help-serve--allow_remote = 루프백이 아닌 --listen 주소를 받아들입니다. 거기에 닿는 누구나 이 머신의 모든 프로세스를 봅니다
help-serve--allow_host = --allow-remote와 함께, 응답할 다른 Host 이름 (NAME 또는 NAME:PORT)
help-daemon--socket = 들을 Unix 소켓 (기본값: 런타임 폴더의 docker.sock. /run/glassbox/docker.sock, --root DIR이면 DIR/run/docker.sock)
help-volume-rm--force = 먼저 볼륨을 마운트한 박스들에서 떼어 냅니다
help-volume-add--spec = NAME:/path, /host/path:/path, 선택적으로 :ro
help-volume-add--force = glassbox가 거부할 호스트 폴더도 허용합니다: /, /etc, /var/lib와 그 상위, /proc /sys /dev /run /boot 아래 전부, glassbox 루트
help-image-import--name = 이미지 이름 (기본값: 파일 이름에서)
help-image-import--image = 이미지가 여럿 든 아카이브에서 고를 이미지: 목록에 나온 대로 1이 첫 번째
help-image-import--all = 아카이브의 모든 이미지를 NAME-1, NAME-2, …로 가져옵니다
help-image-import--max_size = 이미지 레이어들을 풀었을 때 합쳐서 넘을 수 없는 크기 (k, M, G, 이진 단위. 기본값 4G)
help-image-import--max_ratio = 레이어가 풀어서 64M를 넘은 뒤, 압축 바이트당 풀린 바이트의 최댓값 (기본값 100)
help-image-export--name = 이미지
help-image-export--output = 쓸 아카이브
help-image-export--format = `docker`(`docker save`가 쓰는 것: manifest.json, OCI 레이아웃이기도 함) 또는 `oci`(OCI 이미지 레이아웃만)
help-image-export--force = FILE이 있으면 덮어씁니다
help-image-export--tag = 아카이브가 이미지에 붙일 이름. `docker load`가 보여 줄 이름입니다 (기본값 NAME:latest), 예: --tag web:v2
help-caps--drop = 뺄 케이퍼빌리티, 쉼표로 구분 (NET_RAW 또는 CAP_NET_RAW), 또는 ALL
help-caps--add = 뺀 것 중 남길 케이퍼빌리티 (--drop ALL과 함께면 이것만 남음)
help-caps--docker_default = Docker가 남기는 14개를 남깁니다
help-seccomp--profile = default, unconfined, 또는 Docker JSON 형식의 프로파일 파일
help-devices--docker_default = Docker의 규칙: mknod는 무엇이든, 열기는 null, zero, full, random, urandom, tty, console, pty, tun만
help-devices--allow = 허용할 규칙, 쉼표로 구분: 'c 1:3 rwm', 'c 136:* rw', 'b 8:0 r'
help-mask--docker_default = Docker가 가리고 읽기 전용으로 만드는 경로 (경로를 주지 않을 때의 기본값)
help-mask--read_only = 읽기 전용으로 만들 박스 안의 경로, 쉼표로 구분. `/`는 루트 파일시스템 자체
help-mask--paths = 가릴 박스 안의 경로
help-build--context = 빌드 컨텍스트: COPY와 ADD가 파일을 가져오는 폴더 (그 바깥은 안 됨)
help-build--file = Dockerfile (기본값: CONTEXT/Dockerfile)
help-build--tag = 이미지 이름 (기본값: 컨텍스트 폴더 이름)
help-build--no_cache = 빌드 캐시를 무시하고 모든 단계를 빌드합니다 (캐시는 그래도 채움)
help-build--build_args = Dockerfile의 ARG에 줄 값 (여러 번 쓸 수 있음)
help-build--progress = 진행 표시: `plain`(BuildKit의 plain 출력처럼 모든 줄) 또는 `auto`(같음. `docker build` 습관을 위해 둠)
help-export--bundle = 만들 번들 폴더: config.json과 rootfs/ (--force가 없으면 없는 폴더여야 함)
help-export--force = DIR이 있으면 바꿉니다 (번들이 든 폴더만)
help-lesson-start--id = 실습: 02, uts 또는 02-uts
help-lesson-answer--id = 실습: 02, uts 또는 02-uts
help-lesson-answer--n = 질문 번호 (`lesson status`가 보여 주는 대로)
help-lesson-answer--answer = 내 답 (선택형이면 그 글자나 내용)
help-lesson-glossary--term = 용어나 그 앞부분, 영어 또는 한국어 (대소문자 무시)
help-lesson-glossary--markdown = 대신 책의 용어집 페이지(book/src/glossary.md)를 출력합니다
help-lesson-progress--all_users = 이 머신의 모든 학생 진도: /var/lib/glassbox/users/ 아래 실습 루트마다 (기본 루트도)
help-lesson-progress--export = 이 루트의 진도를 수집용 JSON으로 FILE에 씁니다
help-lesson-progress--force = FILE이 있으면 덮어씁니다
help-lesson-dev-check--only = 이 실습만 검사합니다
help-lesson-dev-check--strict = 건너뛴 검사(이 머신에 없는 요구 사항)도 실패로 칩니다
help-compose--file = compose 파일 (기본값: 현재 폴더의 compose.yaml, compose.yml, docker-compose.yml 또는 docker-compose.yaml)
help-compose--project = 프로젝트 이름 (기본값: 파일의 `name:`, 없으면 폴더 이름)
help-compose-up--detach = 백그라운드에서 시작합니다 (glassbox는 늘 그렇게 함. 습관을 위해 받아들임)
help-compose-up--build = 이미지가 있어도 `build`가 있는 서비스는 모두 빌드합니다
help-compose-up--services = 이 서비스들만 (의존 대상은 빼고)
help-compose-down--volumes = 파일의 이름 있는 볼륨도 지웁니다
help-compose-logs--follow = 더 출력하는 대로 계속 보여 줍니다 (Ctrl-C까지)
help-compose-logs--service = 이 서비스만
help-compose-exec--service = 서비스
help-compose-exec--argv = 명령과 그 인자, `--` 뒤에
help-compose-scale--targets = SERVICE=N, 하나 이상
help-completions--shell = bash, zsh 또는 fish

# 단계와 실습 명령의 긴 도움말(`-h`가 아닌 `--help`). 나머지 명령은 한 줄
# 도움말을 한국어로 보여 준다.
help-create--long =
    빈 박스를 새로 만듭니다.

    아직 아무것도 격리하지 않습니다: 이 박스에서 실행한 프로세스는 평범한 호스트 프로세스입니다(`glassbox run demo -- hostname`은 호스트의 이름을 출력합니다). 이후 단계마다 격리가 한 가지씩 더해집니다.

    예: glassbox create demo
help-unshare--long =
    박스에 새 네임스페이스를 줍니다. 호출 한 번이 한 단계입니다

    종류: uts(호스트 이름), ipc(System V IPC, 메시지 큐), net
    (네트워크 스택, `lo`만 있음), pid(자기 PID 1: 박스 init를 시작), mnt
    (자기 마운트 테이블), user(안쪽 root가 바깥에서는 권한 없는 uid),
    cgroup(cgroup 트리가 보이는 범위), time(시계 오프셋). `all`은 전부.
    `user`를 먼저 만드세요: 그 뒤에 만든 네임스페이스는 유저 네임스페이스가 소유합니다.
    `--join OTHER`는 새로 만드는 대신 OTHER의 해당 종류 네임스페이스에 들어갑니다(파드).

    예:
      glassbox unshare demo uts --hostname box1
      glassbox unshare demo user --map-root-to 100000
      glassbox --explain unshare demo pid mnt
      glassbox unshare sidecar net ipc uts --join app
help-run--long =
    박스 안에서 프로세스를 시작합니다 (단계로 기록됨).

    지금까지 박스가 가진 네임스페이스 안에서 그대로 실행됩니다. 표준 입력, 표준 출력, 표준 에러와 종료 코드가 그대로 전달됩니다. `-d`는 박스의 주 프로세스로 백그라운드에서 계속 실행되게 둡니다. `exec`는 기록을 남기지 않는 점만 다르며, 실행 중인 박스에 씁니다.

    예: glassbox run demo -- sh -c 'hostname; echo $$'
help-exec--long =
    실행 중인 박스 안에서 프로세스를 하나 더 시작합니다. `docker exec`와 같습니다.

    예: glassbox exec demo -- ps -ef
help-stop--long =
    박스의 프로세스를 끝냅니다.

    먼저 SIGTERM, --timeout이 지나면 SIGKILL을 보냅니다. PID 네임스페이스가 있으면 init가 끝나고 그 네임스페이스도 함께 사라집니다.
help-inspect--long =
    박스에 대한 모든 것.

    네임스페이스 종류마다 박스와 호스트의 inode, 그리고 그것을 붙잡은 것; 프로세스; 단계. `--json`은 웹 페이지와 실습이 읽는 모델입니다.
help-history--long =
    박스에 적용한 단계들과 각 단계의 커널 작업.

    `--script`는 박스를 다시 만드는 표준 도구(util-linux, iproute2)의 셸 스크립트를 출력합니다: 네임스페이스, cgroup과 제한, 루트 파일시스템, 볼륨, 네트워크.
help-reset--long =
    이 루트 아래에 glassbox가 만든 것을 모두 지웁니다.

    모든 박스, 마운트, 네임스페이스 홀드, cgroup, init, 프록시. 이미지는 남고, 이름 있는 볼륨은 --volumes가 없으면 남습니다.
help-limit--long =
    박스를 자기 cgroup에 넣고 쓸 수 있는 자원을 정합니다

    크기는 64M, 1G, 512k, 512MiB 또는 바이트로 씁니다(이진 단위). `max`는
    제한을 없앱니다. 박스의 프로세스를 cgroup으로 옮기며, 이후의 프로세스는
    모두 그 안에서 시작합니다.

    예:
      glassbox limit demo --memory 64M --pids 32
      glassbox --explain limit demo --cpus 0.5
      glassbox limit demo --memory max
help-stats--long =
    박스 cgroup의 사용량을 1초마다 보여 줍니다.

    Ctrl-C까지: 메모리(현재, 최대, OOM 킬), CPU(사용량, 스로틀링), 프로세스.
help-net--long =
    박스를 다른 박스들과 연결합니다 (veth 쌍, 브리지).

    박스의 네트워크 네임스페이스(`eth0`)에서 호스트의 브리지(처음 쓸 때 만듦)로 이어지는 veth 쌍, 브리지 서브넷의 주소, 기본 경로를 줍니다. `net`이 필요합니다.

    예: glassbox unshare web net && glassbox net web
help-publish--long =
    호스트 루프백의 TCP 포트를 박스 안으로 전달합니다.

    127.0.0.1:HOSTPORT로 들어온 연결이 glassbox가 돌리는 작은 프록시를 거쳐 박스의 포트에 닿습니다.

    예: glassbox publish web 8080:80 && curl http://127.0.0.1:8080/
help-rootfs--long =
    박스에 자기 루트 파일시스템을 줍니다.

    이미지의 레이어를 overlayfs로 쌓고 그 위에 쓰기 가능한 컨테이너 레이어를 얹어, pivot_root로 `/`로 만듭니다. /proc, 최소한의 /dev, 읽기 전용 /sys, /tmp가 함께 마운트됩니다. `mnt`가 필요합니다.

    예: glassbox image busybox && glassbox rootfs demo busybox
help-commit--long =
    박스의 컨테이너 레이어를 새 이미지로 만듭니다.

    컨테이너 레이어가 스택 맨 위의 읽기 전용 레이어 하나가 됩니다. "Dockerfile의 줄 하나가 레이어 하나"를 손으로 해 보는 것입니다.

    예: glassbox commit demo demo-v2
help-caps--long =
    박스의 프로세스가 지니는 케이퍼빌리티 (박스 init 필요: `unshare pid`)

    root의 권한은 케이퍼빌리티 약 40개로 나뉩니다. 지금부터 박스 init가
    시작하는 프로세스는 모두 이것만 지닙니다(bounding, effective, permitted
    집합. inheritable과 ambient는 비움). 이미 실행 중인 프로세스는 자기
    것을 그대로 지닙니다. 뺀 케이퍼빌리티는 다시 돌아오지 않습니다.

    예:
      glassbox caps web --docker-default
      glassbox caps web --drop ALL --add NET_BIND_SERVICE
help-seccomp--long =
    박스 프로세스의 모든 시스템 콜에 거는 seccomp 필터

    `default`는 Docker의 기본 프로파일입니다(시스템 콜 약 350개를 허용하고,
    나머지는 EPERM으로 실패). 파일을 주면 Docker JSON 형식의 프로파일이고,
    `unconfined`는 필터가 없다는 것을 기록합니다. 여기서 한 번 컴파일합니다.

    예:
      glassbox nnp web && glassbox seccomp web default
      glassbox seccomp web ./deny-mkdir.json
help-nnp--long =
    no_new_privs: setuid 프로그램과 파일 케이퍼빌리티가 아무 권한도 주지 못합니다.

    예: glassbox nnp web
help-devices--long =
    박스가 만들고 읽고 쓸 수 있는 디바이스 노드

    cgroup v1: devices.deny와 devices.allow. cgroup v2: 박스의 cgroup에 붙인
    eBPF 프로그램. 그 밖의 것은 모두 EPERM으로 실패합니다.

    예:
      glassbox devices web --docker-default
      glassbox devices web --allow 'c 1:3 rwm,c 1:5 rwm'
help-mask--long =
    박스 안의 커널 파일을 가리거나 읽기 전용으로 만듭니다

    --docker-default(경로를 주지 않을 때도): /proc/kcore, /proc/keys,
    /proc/timer_list … 위에 /dev/null을, /proc/acpi, /sys/firmware … 위에
    빈 tmpfs를 덮고, /proc/sys, /proc/sysrq-trigger … 는 읽기 전용으로.
    준 경로는 가리고, --read-only 경로는 읽기 전용으로 만듭니다
    (`--read-only /`: docker run --read-only처럼 루트 파일시스템 자체).
    `mnt`가 필요합니다.

    예:
      glassbox mask web --docker-default
      glassbox mask web --read-only /
help-harden--long =
    위 다섯 가지를 Docker 기본값으로, 기록되는 다섯 단계로 적용합니다

    caps --docker-default, nnp, seccomp default, devices --docker-default,
    mask --docker-default. `pid`와 `mnt`가 필요합니다.

    예: glassbox harden web
help-doctor--long =
    이 머신에서 모든 실습을 할 수 있을까요? 무엇이 없고 어떻게 고치는지.

    glassbox가 쓰는 기능을 짐작하지 않고 하나씩 시도해 봅니다: 8가지 종류의 네임스페이스를 하나씩, overlay 마운트와 pivot_root(버리는 마운트 네임스페이스 안에서), cgroup 구성과 컨트롤러, busybox-static, 유저 네임스페이스 제한, 브리지와 veth 쌍(버리는 네트워크 네임스페이스 안에서). 남기는 것은 없습니다. 빠진 것마다 고치는 명령을 함께 보여 주고, 그다음 실습마다 여기서 할 수 있는지 알려 줍니다. 모두 쓸 수 있으면 종료 코드 0, 아니면 1.

    예: sudo glassbox doctor
help-lesson--long =
    자동 검사가 딸린 안내형 실습. 컨테이너판 rustlings입니다.

    실습마다 박스를 준비하고, 목표를 알려 주고, 실행하기 전에 예측해 보게
    하며, `inspect --json`이 출력하는 것과 같은 모델로 작업을 검사합니다.
    진도는 --root 아래(lessons/progress.json)에 남습니다. ID: 02, uts 또는
    02-uts. 없으면 status/show/check/hint/solution/reset은 지금 실습에 적용됩니다.

      glassbox lesson list          # 모든 실습, 끝냈는지, 쓴 힌트
      glassbox lesson start 01      # 실습을 준비하고 목표와 질문을 출력
      glassbox lesson show          # 실습의 개념, 책의 장, 웹 페이지
      glassbox lesson answer 01 1 b # 질문 1에 답하기 (예측한 뒤 실행)
      glassbox lesson check         # 통과 / 실패 (기댓값과 실제 값) / 건너뜀
      glassbox lesson hint          # 실패한 검사의 다음 힌트
      glassbox lesson glossary pid  # 용어의 뜻 (English, 한국어)
      glassbox lesson solution      # 풀이
      glassbox lesson reset         # 실습의 박스와 진도 지우기
help-lesson-start--long =
    실습을 준비하고(박스를 새로 만듦) 목표와 질문을 출력합니다.

    목표, 실습이 다루는 개념, 질문을 출력합니다. 02부터는 명령을 스스로 찾아냅니다: `lesson show`, 책, `lesson hint`가 길을 알려 줍니다.
help-lesson-show--long =
    실습의 이론, 책의 장, 이 실습의 웹 페이지.

    실습의 "무엇을, 왜" 부분을 터미널에 출력하고, 그것을 자세히 설명하는 책의 장과, 실습의 박스를 보여 주는 웹 페이지 주소를 알려 줍니다(`glassbox serve`가 실행 중일 때).
help-lesson-answer--long =
    실습 질문에 답합니다: 먼저 예측하고, 그다음 실행합니다.

    첫 답이 기록됩니다. 맞았는지 틀렸는지 판정하고, 설명한 뒤, 진도에 남깁니다. 모든 검사를 통과하고 모든 질문에 답하면 실습이 끝납니다.

    예: glassbox lesson answer 02 1 the host's name
help-serve--long =
    실시간 웹 페이지를 띄웁니다: 프로세스 트리, 네임스페이스, 레이어, cgroup

    터미널 옆에 열어 두세요: 단계를 실행하면 1초 안에 페이지에 나타납니다.
    페이지: /(모든 박스, 호스트), /box/NAME(프로세스 트리, 8가지
    네임스페이스를 박스와 호스트로 나란히 보여 주고 무엇이 붙잡고 있는지,
    레이어 스택, cgroup 게이지, 네트워크, 단계 기록), /host(lsns처럼 이
    머신의 모든 네임스페이스). JSON: /api/boxes, /api/boxes/NAME, /api/host.
    읽기 전용이고 루프백에서만 들으며, 자기 포트를 붙인 이름
    127.0.0.1, localhost, [::1]에만 응답합니다.

    예: glassbox serve   # 그다음 출력된 주소를 여세요
help-volume-add--long =
    볼륨을 박스에 마운트합니다: NAME:/path 또는 /host/path:/path, 읽기 전용은
    `:ro`. `rootfs` 전이면 `rootfs`가 마운트하고, 그 뒤라면 실행 중인 박스에도
    바로 마운트합니다. 호스트 폴더는 이미 있어야 하며, glassbox는 폴더를
    만들지 않습니다.

    예:
      glassbox volume create data && glassbox volume add web data:/data
      glassbox volume add web /srv/site:/var/www:ro
help-image-import--long =
    `docker save` 아카이브, OCI 이미지 레이아웃(tar 또는 폴더), 또는 `docker export`가 만드는 것 같은 일반 루트 파일시스템 tar(.gz)를 가져옵니다.

    디스크를 채우도록 만든 아카이브(gzip 폭탄)는 두 가지 제한이 막습니다: 이미지 레이어들은 풀어서 합쳐 4G까지, 그리고 레이어 하나가 풀어서 64M를 넘은 뒤에는 압축 바이트당 최대 100바이트까지만 풀립니다.

    예: glassbox image import alpine.tar --name alpine
help-image-from-host--long =
    호스트 프로그램과 그 프로그램이 불러오는 라이브러리로 이미지를 만듭니다.

    예: glassbox image from-host --name tools sh ls cat
help-image-export--long =
    이미지를 `docker save` tar나 OCI 이미지 레이아웃 tar로 씁니다 (`podman load`, `docker load`, `skopeo`용).

    예: glassbox image export hello -o hello.tar && podman load -i hello.tar
help-build--long =
    Dockerfile로 이미지를 빌드합니다: 줄마다 레이어 하나 또는 설정 변경 하나.

    RUN은 glassbox 자신의 단계(create, unshare pid mnt uts ipc, 지금까지의 이미지로 rootfs)로 만든 박스에서 실행되고, `commit`이 하듯 그 컨테이너 레이어가 레이어가 됩니다. COPY/ADD는 컨텍스트의 파일로 레이어를 쓰고, ENV, CMD, WORKDIR… 는 설정만 바꿉니다. 바뀌지 않은 단계는 빌드 캐시에서 가져옵니다(CACHED).

    예: glassbox build -t hello ./app && glassbox image history hello
help-export--long =
    박스를 OCI 런타임 번들(config.json + rootfs/)로 내보냅니다.

    박스의 네임스페이스, 호스트 이름, id 매핑, cgroup 제한, 마운트, 그리고 이미지의 프로세스를 runc가 읽는 형태로 씁니다.

    예: glassbox export demo --bundle /tmp/demo && runc run --bundle /tmp/demo demo
help-lesson-glossary--long =
    실습에 나오는 용어의 뜻 (영어와 한국어).

    그 용어를 설명하는 책의 장도 알려 줍니다. TERM이 없으면 모든 용어를 보여 주며, 책의 용어집 페이지도 같은 목록입니다.
help-lesson-progress--long =
    내 진도. 강사에게는 이 머신의 모든 학생 진도

    옵션이 없으면 내 루트의 진도. --all-users는 이 머신의 모든 학생 루트를
    보여 주고, --export는 여러 머신에서 모을 수 있게 한 학생의 진도를
    JSON으로 씁니다.

      glassbox lesson progress                        # 내 진도
      sudo glassbox lesson progress --all-users       # 이 VM의 모든 학생 진도
      glassbox lesson progress --export alice.json    # 내 진도를 JSON으로 (수집용)
help-completions--long =
    bash, zsh, fish용 탭 자동 완성을 출력합니다.

    예: glassbox completions bash > /etc/bash_completion.d/glassbox
help-man--long =
    glassbox(1) 매뉴얼 페이지를 출력합니다 (roff).

    예: glassbox man > /usr/local/share/man/man1/glassbox.1
help-daemon--long =
    Unix 소켓으로 Docker Engine API를 제공해서 `docker`가 glassbox를 움직이게 합니다.

    진짜 docker CLI(또는 Docker SDK)가 이 소켓을 가리키게 하면, 요청 하나하나가
    평범한 glassbox 단계가 되어, 그 단계를 만든 요청과 함께 박스의 기록에
    남습니다: `docker run -d -m 64m -v data:/data busybox sleep 60`은
    `create`, `limit --memory 64M`, `unshare uts ipc net pid mnt`, `rootfs`,
    `volume add`, `net`, Docker의 보안 강화(`caps`, `nnp`, `seccomp`,
    `devices`, `mask`), 그리고 `run`입니다. API로 만든 박스도 평범한 박스이며
    (glassbox ls, inspect, exec, rm이 그대로 동작), docker ps는 손으로 만든
    박스도 보여 줍니다. 포그라운드에서 실행되고, SIGTERM이나 Ctrl-C로 멈추면
    컨테이너는 실행 중인 채로 남습니다. 다시 시작하면 그 컨테이너들을 다시 제공합니다.

    소켓은 root의 것입니다(모드 0660, glassbox 그룹이 있으면 그 그룹): 이 소켓을
    쓸 수 있는 사람은 dockerd의 소켓처럼 이 머신의 root와 같습니다. TCP로는
    듣지 않습니다. glassbox는 오프라인입니다: `docker pull`은 대신 이미지를
    불러오는 방법을 알려 줍니다(`docker load -i FILE`, `glassbox image import FILE`).

    제공하는 것: ping, version, info, events. 컨테이너: create, start, stop,
    kill, wait, rm, ps, inspect, logs (-f), attach, top, stats, diff, exec,
    commit, run -it과 exec -it(데몬이 붙잡는 터미널), --cap-add,
    --cap-drop, --security-opt seccomp=/no-new-privileges, --read-only,
    --entrypoint. 이미지: ls, inspect, history, rm, tag, load, save, build
    (클래식 빌더: DOCKER_BUILDKIT=0). 볼륨: ls, create, inspect, rm.
    네트워크: ls, inspect (bridge, none). 이유와 함께 거부하는 것:
    --privileged, --device, --gpus, --network/--pid host, pull, push.
    --explain을 주면 단계마다 실행하면서 커널 작업을 출력합니다.

    예:
      sudo glassbox daemon &
      sudo DOCKER_HOST=unix:///run/glassbox/docker.sock docker run --rm busybox echo hi
      sudo glassbox history $(sudo glassbox ls | awk 'NR==2 {"{"}print $1{"}"}')
help-compose--long =
    compose.yaml 하나로 여러 박스를 만듭니다. 박스마다 평범한 glassbox 단계로 이루어집니다.

    Compose Specification의 일부(compose.yaml, docker-compose.yml)를 읽고,
    서비스마다 직접 입력했을 단계로 바꿉니다: create, limit, unshare, rootfs,
    volume add, net, publish, caps, run. `--dry-run compose up`은 그 단계를
    모두 출력하고("compose up은 이 N개 단계입니다"), `--explain compose up`은
    실행하면서 각 단계와 그 커널 작업을 출력합니다. 박스 이름은
    PROJECT-SERVICE-N이고, 프로젝트 레이블이 붙으며, 다른 모든 명령에서
    평범한 박스입니다. 서비스는 /etc/hosts로 서로를 이름으로 찾으며, compose가
    프로젝트의 모든 박스에 이 파일을 씁니다. 프로젝트마다 감독 프로세스
    (glassbox-supervisor, up이 시작하고 down과 reset이 멈춤)가 헬스체크를
    일정대로 실행하고 on-failure 서비스를 다시 시작합니다.
    게시된 포트는 박스가 아니라 서비스의 풀(`glassbox pool`)에 속합니다.
    감독 프로세스가 비정상으로 본 복제본은 다시 정상이 될 때까지 풀에서
    빠집니다. 서비스의 이미지를 바꾸고 `up -d`를 다시 실행하면, 롤링
    업데이트가 deploy.update_config대로 복제본을 바꿉니다: 새 복제본은
    (감독 프로세스의 기록대로) 정상이 된 뒤에 서비스하고, 옛 복제본은
    드레인한 뒤에 멈춥니다. 끝내 정상이 되지 않는 복제본이 있으면 롤백합니다.

    읽는 키: services.*: image, build (context, dockerfile, args),
    command, entrypoint, environment, env_file, ports (HOST:BOX), volumes
    (이름 있는 볼륨, ./bind, :ro), depends_on (service_started, service_healthy,
    service_completed_successfully), healthcheck (test, interval, timeout,
    retries, start_period), hostname, working_dir, user, mem_limit, cpus,
    pids_limit, deploy.resources.limits, deploy.replicas, deploy.update_config
    (parallelism, delay, order, failure_action: rollback|pause), cap_add,
    cap_drop, read_only, network_mode (none, service:NAME), networks,
    restart (no, on-failure[:N]);
    최상위의 name, volumes, networks. ${"{"}VAR{"}"}, ${"{"}VAR:-default{"}"}, $$, .env.
    그 밖의 키는 그 키와 줄 번호를 알려 주는 오류입니다.

    예:
      glassbox compose config
      glassbox --dry-run compose up
      glassbox compose up -d && glassbox compose ps
      glassbox compose exec web -- cat /etc/hosts
      glassbox compose down -v
help-pool = 여러 박스가 함께 쓰는 게시된 포트 하나와, 어느 박스에도 속하지 않는 밸런서.
help-pool-add = 연결된 박스를 풀에 더해 HOSTPORT:BOXPORT로 서비스하게 합니다(풀과 그 포트의 밸런서는 처음 쓸 때 만들어집니다)
help-pool-add--pool = 풀
help-pool-add--ports = HOSTPORT:BOXPORT
help-pool-add--allow_low_port = 1024보다 낮은 호스트 포트를 허용합니다
help-pool-drain = 멤버에게 새 연결을 보내지 않고, 가진 연결이 끝날 때까지 기다린 뒤 풀에서 뺍니다(박스를 멈추기 전에)
help-pool-drain--pool = 풀
help-pool-drain--timeout = 연결이 끝나기를 기다릴 초. 지나면 그래도 뺍니다
help-pool-rm = 풀의 밸런서를 멈추고 풀을 잊습니다(박스는 남습니다)
help-pool-rm--pool = 풀
help-pool-ls = 모든 풀: 포트, 밸런서, 멤버와 그 상태
help-pool--long =
    여러 박스가 함께 쓰는 게시된 포트 하나와, 어느 박스에도 속하지 않는 밸런서.

    `publish`는 포트를 박스 하나에 주고, 그 프록시는 박스와 함께 사라집니다.
    풀의 밸런서(호스트 포트마다 `glassbox-lb` 프로세스 하나)는 멤버가 오가는
    동안에도 남습니다: 새 연결을 서비스 중인 다음 멤버에게 차례로 보내고,
    드레인 중이거나 빠진 멤버에게는 보내지 않습니다. Compose는 포트를 게시하는
    서비스마다 PROJECT-SERVICE라는 풀을 하나 만듭니다.

    예:
      glassbox pool add shop-web shop-web-1 8080:80
      glassbox pool drain shop-web shop-web-1
      glassbox pool ls
      glassbox pool rm shop-web
help-pool-add--name = 박스 (`glassbox net`으로 연결된)
help-pool-drain--name = 멤버 박스
