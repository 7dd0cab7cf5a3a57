# 사용 오류: 명령줄에서의 실수로, 아무것도 바뀌기 전에 잡아냅니다(종료 코드 2).
# id마다 UsageError(src/error/usage.rs)의 변형 하나에 해당하며, `--json`이
# 출력하는 언어 중립 코드입니다.

root-invalid = --root { $dir }: { $reason }
file-not-found = { $path }: 그런 파일이나 폴더가 없습니다
clock-offset-invalid = { $flag }: { $reason }
init-exited = 박스의 init이 시작하자마자 종료되었습니다. `glassbox --explain unshare …`로 확인하세요
box-running = 박스 { $name }이(가) 실행 중입니다: 먼저 멈추거나(glassbox stop { $name }) glassbox rm --force { $name }을(를) 쓰세요
caps-add-all = --add ALL은 박스가 가진 것을 모두 그대로 둡니다: --add를 빼거나 케이퍼빌리티 이름을 주세요
limit-nothing = 무엇을 제한할지 주세요: glassbox limit { $name } --memory 64M --pids 32 --cpus 0.5 (--help 참고)
limit-no-cgroup = 박스 { $name }에는 아직 cgroup이 없습니다: glassbox limit { $name } --memory 64M
exec-entrypoint = exec는 이미지의 Entrypoint가 아니라 주어진 명령을 실행합니다: --entrypoint를 빼세요. 예: glassbox exec { $name } -- sh
nothing-to-run = 박스 { $name }에서 실행할 것이 없습니다: 명령이 주어지지 않았습니다. `--` 뒤에 명령을 주세요. 예: glassbox { $verb } { $name } -- sh
nothing-to-run-image = 박스 { $name }에서 실행할 것이 없습니다: 이미지에 Cmd도 Entrypoint도 없습니다. `--` 뒤에 명령을 주세요. 예: glassbox { $verb } { $name } -- sh

## 루트 파일시스템과 레이어
rootfs-no-mnt = 박스 { $name }에는 마운트 네임스페이스가 없습니다
layer-after-stop = 박스 { $name }은(는) 완전히 멈췄습니다(init이 종료됨). 레이어는 rootfs보다 먼저 넣어야 합니다: glassbox rm --force { $name } && glassbox create { $name }로 다시 시작한 뒤 unshare, layer add, rootfs를 다시 하세요
layer-under-init = 박스 { $name }은(는) 자기 루트 파일시스템 위에서 실행 중이고, overlayfs는 프로세스가 쓰고 있는 마운트된 스택 아래에 레이어를 넣을 수 없습니다. init이 PID 네임스페이스를 붙잡고 있어서 init을 멈추면 박스가 끝납니다: 레이어는 rootfs보다 먼저 넣어야 합니다. glassbox rm --force { $name } && glassbox create { $name }로 다시 시작한 뒤 unshare, layer add, rootfs를 다시 하세요
layer-under-main = 박스 { $name }은(는) 자기 루트 파일시스템 위에서 실행 중이고, overlayfs는 프로세스가 쓰고 있는 마운트된 스택 아래에 레이어를 넣을 수 없습니다: 먼저 메인 프로세스를 멈춘 뒤(glassbox stop { $name }) 레이어를 더하세요. 스택은 그 위에 다시 마운트됩니다
layer-unknown = layer add: { $source }은(는) 폴더도, tar 파일도, 이미지도 아닙니다: 있는 폴더나 .tar, 또는 `glassbox image ls`에 나오는 이미지를 주세요
commit-no-rootfs = 박스 { $name }에는 커밋할 루트 파일시스템이 없습니다: 먼저 glassbox rootfs { $name } IMAGE를 하세요

## 이미지, 내보내기, 빌드
image-in-use = 이미지 { $name }을(를) 박스 { $boxes }이(가) 쓰고 있습니다: 그 박스들을 먼저 지우세요
max-size-zero = --max-size 0이면 모든 이미지를 거부합니다: 크기를 주세요. 예: 8G
term-the-archive = 아카이브
term-the-bundle = 번들
export-is-folder = { $path }: 폴더입니다. { $what }의 파일 이름을 주세요
export-exists = { $path }이(가) 이미 있습니다: 다른 이름을 고르거나, 바꾸려면 --force를 붙이세요
export-no-folder = { $path }: { $what }을(를) 쓸 폴더가 없습니다
bundle-no-rootfs = 박스 { $name }에는 번들에 넣을 루트 파일시스템이 없습니다: 먼저 glassbox unshare { $name } mnt && glassbox rootfs { $name } IMAGE를 하세요
bundle-not-bundle = { $path }은(는) 번들 폴더가 아닙니다(config.json이 없음): --force는 번들만 바꿉니다
bundle-exists = { $path }이(가) 이미 있습니다: 다른 폴더를 고르거나, 번들을 바꾸려면 --force를 붙이세요
dockerfile-unreadable = Dockerfile: { $reason }
build-arg-invalid = --build-arg { $value }은(는) KEY=VALUE 형식이 아닙니다. 예: --build-arg VERSION=1.2
dockerfile-missing = { $file }: 그런 Dockerfile이 없습니다. 하나 쓰거나 -f FILE로 이름을 주세요
dockerfile-too-large = { $file }: { $bytes }바이트인데, Dockerfile은 최대 { $max }바이트까지 될 수 있습니다
dockerfile-read = { $file }: { $reason }
dockerfile-not-text = { $file }: UTF-8 텍스트가 아닙니다
dockerignore-hides-dockerfile = .dockerignore가 Dockerfile { $file }을(를) 빼 버립니다: 그 패턴을 지우거나, !{ $file }을(를) 더해 다시 넣으세요
context-not-folder = 빌드 컨텍스트 { $dir }: 폴더가 아닙니다. Dockerfile이 든 폴더를 주세요
context-missing = 빌드 컨텍스트 { $dir }: 그런 폴더가 없습니다. Dockerfile이 든 폴더를 주세요. 예: glassbox build -t app .
run-needs-files = Dockerfile:{ $line }:{ $col }: RUN은 실행할 파일이 있어야 합니다. 지금까지의 이미지가 비어 있습니다(FROM scratch). 셸이 있는 이미지에서 FROM하거나, 먼저 셸을 COPY하세요
copy-dest-not-folder = { $what }: 소스가 여럿이면(또는 와일드카드를 쓰면) 대상은 /로 끝나는 폴더여야 합니다. 예: { $dest }/
copy-not-in-context = { $what }: { $source }이(가) 빌드 컨텍스트 { $context }에 없습니다(또는 .dockerignore가 빼 버립니다)
copy-url = { $what }: { $source }은(는) URL인데 glassbox는 오프라인으로 빌드합니다: 먼저 내려받은 뒤 그 파일을 COPY하세요
copy-outside-context = { $what }: { $source }은(는) 빌드 컨텍스트 { $context } 밖에 있습니다: COPY는 컨텍스트 안의 파일만 가져옵니다
copy-bad-archive = { $what }: { $file }: { $reason }
term-none = 없음
dockerfile-no-from = { $file }: FROM이 없습니다. FROM IMAGE(또는 FROM scratch)로 시작하세요
dockerfile-too-many-layers = { $file }: RUN/COPY/ADD 줄 { $layers }개는 레이어 { $layers }개가 되는데, 박스는 최대 { $max }개까지 쌓을 수 있습니다: RUN 줄을 &&로 이으세요
dockerfile-before-from = Dockerfile:{ $line }:{ $col }: FROM 앞에 { $keyword }이(가) 있습니다: FROM 앞에는 ARG만 올 수 있습니다
dockerfile-second-from = Dockerfile:{ $line }:{ $col }: 두 번째 FROM: 멀티 스테이지 빌드는 지원하지 않습니다. 이미지마다 따로 빌드하세요
dockerfile-from-stage = Dockerfile:{ $line }:{ $col }: FROM IMAGE AS NAME(빌드 스테이지)은 지원하지 않습니다: FROM IMAGE를 쓰세요
dockerfile-from-no-image = Dockerfile:{ $line }:{ $col }: FROM { $name }: 여기에 그런 이미지가 없습니다(이미지: { $images }). glassbox는 오프라인으로 빌드합니다: `glassbox image import`로 가져오거나 `glassbox image busybox`로 하나 만드세요
dockerfile-arg-used-early = Dockerfile:{ $line }:{ $col }: ${ $name }을(를) { $arg_line }번째 줄의 `ARG { $name }`보다 먼저 썼습니다: ARG를 이 줄 위로 옮기세요
dockerfile-line-invalid = Dockerfile:{ $line }:{ $col }: { $reason }
dockerfile-env-no-value = Dockerfile:{ $line }:{ $col }: ENV { $key }: 값을 주세요. ENV { $key }=VALUE
dockerfile-shell-not-json = Dockerfile:{ $line }:{ $col }: SHELL에는 JSON 배열을 줍니다. 예: SHELL ["/bin/sh", "-c"]
dockerfile-expose-invalid = Dockerfile:{ $line }:{ $col }: EXPOSE { $port }: 1-65535 사이의 포트를 주세요. /tcp나 /udp를 붙일 수 있습니다
dockerfile-copy-from-stage = Dockerfile:{ $line }:{ $col }: COPY --from={ $from }: 멀티 스테이지 빌드는 지원하지 않습니다
dockerfile-copy-needs-two = Dockerfile:{ $line }:{ $col }: { $keyword }에는 소스와 대상이 필요합니다
dockerfile-chmod-invalid = Dockerfile:{ $line }:{ $col }: --chmod={ $mode }: 755 같은 8진수 권한을 주세요

## 볼륨
volume-spec-invalid = 볼륨 지정 { $spec }: { $reason }

## 네트워크
subnet-fixed = 브리지 { $bridge }은(는) 이미 { $subnet }/24를 씁니다. --subnet은 브리지를 만들 때(연결된 마지막 박스를 지운 뒤) 적용됩니다
veth-taken = { $veth }(이)라는 호스트 인터페이스가 이미 있는데 이 박스의 것이 아닙니다: glassbox는 건드리지 않습니다. 남은 찌꺼기라면 지우세요(ip link del { $veth })
also-not-connected = --also { $name }: 박스 { $name }은(는) 연결되어 있지 않습니다: glassbox net { $name }
port-low = 호스트 포트 { $port }은(는) 시스템 서비스가 쓰는 1024 미만입니다: 더 큰 포트를 고르거나 --allow-low-port를 붙이세요
box-not-connected = 박스 { $name }은(는) 연결되어 있지 않습니다: { $fix }
publish-cannot-listen = 127.0.0.1:{ $port }에서 연결을 기다릴 수 없습니다({ $reason }): 다른 호스트 포트를 고르세요. 예: glassbox publish { $name } { $next }:{ $box_port }

## 컴포즈
compose-no-service = { $file }에 { $service }(이)라는 서비스가 없습니다: 서비스는 { $services }입니다
compose-logs-no-service = { $file }에 { $service }(이)라는 서비스가 없습니다
compose-image-missing = services.{ $service }.image: { $image }(이)라는 이미지가 없습니다: glassbox는 오프라인입니다. 가져오거나(`glassbox image import FILE --name { $bare }`) 만드세요(`glassbox image busybox`)
compose-scale-invalid = { $text }: SERVICE=N 형식으로 주세요. N은 0부터 20까지
compose-no-boxes = 프로젝트 { $project }에는 박스가 없습니다: `glassbox compose up -d`로 시작하세요

## 레슨
lessons-none-yet = 아직 없습니다
lesson-not-found = { $id }(이)라는 레슨이 없습니다: 번호나 이름, 또는 둘 다 주세요(예: 02, uts, 02-uts). 레슨: { $known }
lesson-none-started = 아직 시작한 레슨이 없습니다: `glassbox lesson list`로 목록을 보고 `glassbox lesson start { $first }`로 시작하세요
lesson-not-started = 레슨 { $lesson }을(를) 아직 시작하지 않았습니다: 먼저 `glassbox lesson start { $lesson }`로 준비하세요
lesson-no-solution = 레슨 { $lesson }에는 solution.sh가 없습니다
lesson-broken = { $reason } (고치기 전에는 이 레슨을 쓸 수 없습니다)
lesson-toml-invalid = lessons/{ $lesson }/lesson.toml: { $reason }
lesson-translation-invalid = lessons/{ $lesson }/{ $file }: { $reason }
lesson-checks-invalid = lessons/{ $lesson }: { $reason }
lessons-dir-unreadable = GLASSBOX_LESSONS_DIR={ $dir }: { $reason }. NN-slug 레슨들이 든 폴더를 가리키게 하세요
lesson-no-questions = 레슨 { $lesson }에는 질문이 없습니다: 답할 것이 없습니다
question-out-of-range = 레슨 { $lesson }의 질문은 1부터 { $count }까지이고 { $n }번은 없습니다: `glassbox lesson status { $lesson }`로 목록을 보세요
answer-empty = 답을 주세요: glassbox lesson answer { $lesson } { $n } ANSWER
question-invalid = 질문 { $n }: { $reason }
progress-unreadable = { $path }을(를) 읽을 수 없습니다({ $reason }). 레슨을 처음부터 시작하려면 이 파일을 지우세요
class-file-exists = { $path }이(가) 이미 있습니다: 다른 FILE을 주거나, 덮어쓰려면 --force를 붙이세요
class-cannot-write = { $path }에 쓸 수 없습니다: { $reason }. 쓸 수 있는 폴더 안의 FILE을 주세요
glossary-invalid = { $file }: { $reason }
glossary-term-empty = 용어를 주거나, 모든 용어를 보려면 아무것도 주지 마세요: glassbox lesson glossary
glossary-no-term = { $term }(으)로 시작하는 용어집 용어가 없습니다: `glassbox lesson glossary`로 모두 볼 수 있습니다
compose-service-no-box = 서비스 { $service }에는 박스가 없습니다: glassbox compose up -d { $service }
pool-unknown = { $pool }(이)라는 풀이 없습니다: `glassbox pool ls`로 목록을 볼 수 있습니다
pool-port-taken = 풀 { $pool }은(는) 127.0.0.1:{ $host_port }을(를) 박스 포트 { $had }(으)로 보냅니다. { $box_port }이(가) 아닙니다: 호스트 포트 하나에 박스 포트 하나입니다
pool-cannot-listen = 127.0.0.1:{ $host_port }에서 들을 수 없습니다({ $reason }): 풀 { $pool }에 다른 호스트 포트를 고르세요
pool-not-member = { $name }은(는) 풀 { $pool }의 멤버가 아닙니다: `glassbox pool ls`로 목록을 볼 수 있습니다

# clap 자신의 말(clap이 읽지 못한 명령줄): `--lang ko`에서는 clap의 영어 대신 이것을 씁니다(cli/clap_ko.rs).
clap-error = 오류
clap-unknown-argument = 예상하지 못한 인자 '{ $arg }'이(가) 있습니다
clap-value-required = '{ $arg }'에 값이 필요한데 주어지지 않았습니다
clap-invalid-value = '{ $arg }'에 쓸 수 없는 값 '{ $value }'입니다
clap-possible-values = 가능한 값
clap-invalid-subcommand = 알 수 없는 하위 명령 '{ $name }'입니다
clap-missing-required = 꼭 필요한 다음 인자가 주어지지 않았습니다:
clap-missing-subcommand = '{ $name }'에는 하위 명령이 필요한데 주어지지 않았습니다
clap-too-many-values = '{ $arg }'에 예상하지 못한 값 '{ $value }'이(가) 있습니다. 값을 더 받지 않습니다
clap-too-few-values = '{ $arg }'에는 값이 { $min }개 필요한데 { $actual }개만 주어졌습니다
clap-wrong-number-of-values = '{ $arg }'에는 값이 { $expected }개 필요한데 { $actual }개가 주어졌습니다
clap-no-equals = '{ $arg }'에 값을 줄 때는 등호(=)를 써야 합니다
clap-argument-repeated = 인자 '{ $arg }'은(는) 한 번만 쓸 수 있습니다
clap-argument-conflict = 인자 '{ $arg }'은(는) '{ $other }'와(과) 함께 쓸 수 없습니다
clap-argument-conflict-many = 인자 '{ $arg }'은(는) 다음과 함께 쓸 수 없습니다:
clap-tip = 도움말
clap-tip-similar = 혹시 이것인가요? { $names } (비슷한 { $what })
clap-what-argument = 인자
clap-what-subcommand = 하위 명령
clap-what-value = 값
clap-more = 더 알아보려면 '{ $help }'를 실행해 보세요.
clap-default = 기본값
