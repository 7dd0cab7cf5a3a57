# 오류: 무엇이 잘못됐는지와 다음에 무엇을 하면 되는지를 말합니다. id는
# `--json`이 출력하는 언어 중립 코드입니다.

## 이름이 가리키는 것
term-box = 박스
term-image = 이미지
term-volume = 볼륨

## 이름을 받아들이지 않는 이유
name-empty = 이름이 비어 있습니다
name-too-long = 63자보다 깁니다
name-bad-start = 영문 소문자나 숫자로 시작해야 합니다
name-bad-char = a-z 0-9 _ . - 이외의 문자가 들어 있습니다

name-invalid = { $what } 이름 { $value }은(는) 쓸 수 없습니다: { $reason }. 영문 소문자나 숫자로 시작하는 1-63자의 a-z 0-9 _ . - 를 쓰세요
box-not-found = { $name }(이)라는 박스가 없습니다: `glassbox ls`로 박스 목록을 보거나 `glassbox create { $bare }`로 만드세요
box-no-record = 박스 { $name }이(가) 망가졌습니다: 폴더에 읽을 수 있는 기록이 없습니다(이 박스에 대한 명령이 도중에 중단됨). `glassbox rm --force { $bare }`로 남은 것을 지우세요
box-exists = { $name }(이)라는 박스가 이미 있습니다: 다른 이름을 고르거나, 먼저 `glassbox rm { $bare }`로 지우세요
volume-exists = { $name }(이)라는 볼륨이 이미 있습니다: 있는 그대로 쓰거나, 먼저 `glassbox volume rm { $bare }`로 지우세요
box-busy = 박스 { $name }을(를) 다른 glassbox 명령이 바꾸는 중입니다: 그 명령이 끝난 뒤 다시 시도하세요
box-broken = 박스 { $name }이(가) 망가졌습니다: `{ $step }`이(가) 도중에 멈춰 반쯤 만들어진 채로 남았습니다. `glassbox rm --force { $name }`로 지우고 다시 만드세요
record-corrupt = 박스 기록 { $path }을(를) 읽을 수 없습니다({ $reason }). `glassbox rm --force`로 박스를 지우세요

ns-already-has = 박스 { $name }에는 이미 자기 { $kind } 네임스페이스가 있습니다(inode { $inode }). 할 일이 없습니다 — `glassbox inspect { $name }`로 확인하세요
ns-user-after-others = 박스 { $name }에는 이미 호스트의 유저 네임스페이스가 소유한 네임스페이스({ $others })가 있습니다. 지금 만드는 유저 네임스페이스는 이것들을 소유하지 못하므로 박스 안의 root가 쓸 수 없습니다. `user`를 먼저 만드세요: glassbox rm --force { $name } && glassbox create { $name } && glassbox unshare { $name } user { $others }
ns-option-needs-kind = { $option }은(는) 새로 만드는 { $kind } 네임스페이스에 적용됩니다: 종류에 `{ $kind }`를 더하세요 (glassbox unshare { $name } { $kind } { $option } …)
box-stopped = 박스 { $name }이(가) 멈췄습니다: init이 종료되면서 PID 네임스페이스도 사라졌습니다. 지우고 다시 만드세요: glassbox rm { $name }
bad-value = { $what } 값 { $value }은(는) 쓸 수 없습니다: { $reason }
command-too-long = 명령이 execve(2)에 넘기기에 너무 깁니다: { $reason }
needs-first = { $what }: { $fix }
rootfs-needs-mnt = rootfs를 쓰려면 먼저 마운트 네임스페이스가 있어야 합니다
box-nothing-running = 박스 { $name }에서 실행 중인 것이 없습니다: 먼저 메인 프로세스를 시작하거나(glassbox run { $name } -d -- sleep infinity), init을 주세요(glassbox unshare { $name } pid)

## 제한
limit-memory-too-small = 최소 4M이어야 합니다: 그보다 작은 박스는 프로그램을 시작하지 못합니다
limit-bytes-unit = k, M, G 단위를 붙일 수 있는 정수를 쓰세요(2진 단위: 1k = 1024). 예: 64M, 또는 max
limit-bytes-number = 단위를 붙일 수 있는 정수를 쓰세요. 예: 512M
limit-too-large = 너무 큽니다
limit-cpus-number = 0.5나 2 같은 숫자여야 합니다
limit-cpus-range = 0보다 큰 CPU 수(0.5나 2 등) 또는 max여야 합니다
limit-cpus-min = 최소 0.01이어야 합니다(커널의 가장 작은 할당량은 주기마다 1 ms입니다)
limit-pids = 1부터 4194304까지의 프로세스 수 또는 max여야 합니다
limit-cpuset = 0이나 0-1,3 같은 CPU 목록이어야 합니다
limit-cpuset-order = 범위는 0-1처럼 커지는 방향이어야 합니다
limit-io-weight = 1부터 10000까지의 가중치여야 합니다(기본 몫은 100)
hostname-too-long = 커널은 최대 64바이트까지 허용합니다(HOST_NAME_MAX)
hostname-bad-char = 공백이나 제어 문자가 들어 있습니다
ports-invalid = 포트 { $text }: HOSTPORT:BOXPORT 형식으로, 각각 1부터 65535 사이로 주세요. 예: 8080:80
image-not-found = { $name }(이)라는 이미지가 없습니다: `glassbox image ls`로 목록을 보거나 `glassbox image busybox`로 하나 만드세요
volume-not-found = { $name }(이)라는 볼륨이 없습니다: `glassbox volume create { $bare }`로 만드세요
listen-invalid = --listen { $value }은(는) ADDRESS:PORT 형식이 아닙니다: 예를 들어 --listen 127.0.0.1:7878을 쓰세요
port-in-use = { $addr }은(는) 이미 쓰이고 있습니다(다른 `glassbox serve`?): --listen 127.0.0.1:PORT로 다른 포트를 고르세요
ns-kind-unknown = { $kind }(이)라는 네임스페이스 종류는 없습니다: 종류는 { $kinds }입니다(또는 all)
map-root-to-invalid = --map-root-to { $value }은(는) uid가 아닙니다: 100000 같은 숫자를 주세요
volume-host-missing = 호스트 폴더 { $path }이(가) 없습니다: glassbox는 호스트에 폴더를 만들지 않으니 먼저 만드세요
volume-not-folder = { $path }은(는) 폴더가 아닙니다: 볼륨은 폴더여야 합니다
volume-refused = { $path }(실제 경로: { $resolved })은(는) 박스에 마운트하지 않습니다: { $why }. 정말 그럴 생각이라면 --force를 붙이세요
volume-in-use = 볼륨 { $name }이(가) 박스 { $boxes }에 마운트되어 있습니다: 그 박스들을 rm하거나 glassbox volume rm --force { $name }을(를) 쓰세요
root-advice = 이미 있거나 만들 수 있는 폴더를 주세요
needs-root = glassbox는 네임스페이스, 마운트, 컨트롤 그룹(cgroup)을 만들기 때문에 root 권한이 필요합니다: sudo로 실행하세요
apply-advice = --explain을 붙여 단계를 다시 실행하면 각 작업을 볼 수 있습니다. `glassbox rm --force BOX`는 남은 것을 모두 지웁니다

# 읽을 수 없는 Dockerfile(build): 앞에 줄:열이 붙습니다.
dockerfile-too-big = Dockerfile이 { $bytes }바이트입니다. 최대 { $max }바이트까지만 읽습니다
dockerfile-bad-escape = escape={ $value }: \ 또는 `를 쓰세요
dockerfile-ends-continued = { $escape }(으)로 이어지는 줄 안에서 파일이 끝납니다
dockerfile-too-many = 명령어가 { $max }개를 넘습니다: RUN 줄은 &&로 잇고, COPY는 폴더째로 하세요
dockerfile-empty = Dockerfile에 명령어가 없습니다: FROM으로 시작하세요
dockerfile-onbuild = ONBUILD는 지원하지 않습니다: 이 이미지를 쓰는 Dockerfile에 그 명령어들을 넣으세요
dockerfile-unknown-instruction = 알 수 없는 명령어 { $word }: 명령어는 FROM RUN COPY ADD ENV ARG WORKDIR USER CMD ENTRYPOINT EXPOSE LABEL SHELL VOLUME STOPSIGNAL HEALTHCHECK입니다
dockerfile-needs-arguments = { $keyword }에는 인자가 필요합니다
dockerfile-shell-json = SHELL은 JSON 배열을 받습니다. 예: SHELL ["/bin/sh", "-c"]
dockerfile-not-exec-form = exec 형식처럼 보이지만 문자열의 JSON 배열이 아닙니다: 큰따옴표를 쓰세요. 예: ["echo", "hi"]
dockerfile-from-flag = FROM은 --platform 말고는 플래그를 받지 않습니다
dockerfile-no-such-flag = { $keyword }에는 --{ $flag } 플래그가 없습니다
dockerfile-unterminated-quote = { $quote } 따옴표가 닫히지 않았습니다: 같은 줄에서 닫으세요
dockerfile-unterminated-brace = ${"{"}이(가) 닫히지 않았습니다: {"}"}로 닫으세요
dockerfile-bad-substitution = 잘못된 치환 ${"{"}{ $inner }{"}"}: 변수 이름을 쓰세요
dockerfile-unsupported-substitution = ${"{"}{ $inner }{"}"} 안의 { $op } 치환은 지원하지 않습니다: ${"{"}VAR{"}"}, ${"{"}VAR:-default{"}"}, ${"{"}VAR:+value{"}"} 중 하나를 쓰세요
