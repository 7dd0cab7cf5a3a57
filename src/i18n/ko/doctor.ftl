# `glassbox doctor`: 기능마다 한 줄, 그다음 각 실습을 여기서 할 수 있는지.

doctor-title = glassbox doctor: 이 머신에서 모든 실습을 할 수 있을까요?
doctor-kernel = 커널
doctor-ok = 정상
doctor-no-optional = 없음 (선택)
doctor-missing = 빠짐
doctor-fix = 해결: { $fix }
doctor-wsl = 이 머신은 WSL2입니다: 커널에 실습용 VM이 가진 기능이 없을 수 있습니다. 어떤 기능인지는 위의 줄들이 알려 줍니다.
doctor-lessons = 실습
doctor-no-lessons = (없음)
doctor-can-run = 여기서 할 수 있음
doctor-cannot-run = 여기서 할 수 없음: { $what } 필요
doctor-all-good = glassbox에 필요한 것이 모두 있습니다.
doctor-summary = 기능 { $features }개가 없고, 실습 { $lessons }개를 여기서 할 수 없습니다: 위의 해결 줄을 실행한 뒤 `glassbox doctor`를 다시 실행하세요.
doctor-root-ok = glassbox가 root로 실행 중입니다
doctor-ns-ok = 새로 만들 수 있습니다
doctor-ns-failed = unshare 실패: { $reason }
doctor-overlay-listed = /proc/filesystems에 있음
doctor-overlay-loaded = 처음엔 /proc/filesystems에 없었고, 쓸 때 로드됨
doctor-overlay-ok = { $listed }; 시험 마운트 성공
doctor-pivot-root-ok = 이 루트 파일시스템에서 동작합니다
doctor-busybox-ok = { $path }은(는) 정적 링크입니다
doctor-cgroup-v2-ok = 통합 계층(unified hierarchy)
doctor-bridge-ok = 만들 수 있습니다
doctor-veth-ok = 한 쌍을 만들 수 있습니다
doctor-docker-ok = PATH에 있음 (데몬 실습용)
# 무엇이 없고 어떻게 해결하는지: 실습 실행기가 검사를 건너뛸 때도 같은 말을 쓴다.
doctor-assumed-missing = { $need } ({ $env } 설정에 따라 이 머신에 없는 것으로 취급)
doctor-root-fix = glassbox를 sudo로 실행하세요
doctor-overlay-fix = modprobe overlay (CONFIG_OVERLAY_FS가 켜진 커널 필요)
doctor-userns-missing = 유저 네임스페이스 ({ $reason })
doctor-userns-fix = CONFIG_USER_NS가 켜진 커널
doctor-timens-missing = 타임 네임스페이스 ({ $reason }; 커널 { $kernel })
doctor-timens-fix = 타임 네임스페이스에는 CONFIG_TIME_NS가 켜진 Linux 5.6 이상이 필요합니다: 커널을 업그레이드하세요
doctor-timens-fix-short = 타임 네임스페이스에는 CONFIG_TIME_NS가 켜진 Linux 5.6 이상이 필요합니다
doctor-ns-fix = CONFIG_{ $flag }_NS를 켜고 빌드한 커널
doctor-cgroup-v2-missing = cgroup v2 (이 머신: { $detail })
doctor-grub-fix = cgroup v2로 부팅하세요: /etc/default/grub의 GRUB_CMDLINE_LINUX에 systemd.unified_cgroup_hierarchy=1을 넣고 update-grub을 실행한 뒤 재부팅합니다
doctor-controller-missing = { $controller } cgroup 컨트롤러 ({ $detail })
doctor-controller-enabled = { $file }에서 켜져 있음
doctor-controller-available = 쓸 수 있지만 { $file }에서 아직 켜지지 않음 (glassbox가 박스의 cgroup을 만들 때 켭니다)
doctor-controller-unlisted = { $file }에 없음
doctor-controller-fix = 이 커널에는 이 컨트롤러가 없습니다: 이 컨트롤러를 넣어 빌드한 커널을 쓰거나, cgroup_disable={ $controller } 없이 부팅하세요
doctor-controller-v1 = cgroup v1 계층 { $dir }
doctor-controller-no-v1 = { $controller }을(를) 담은 cgroup v1 계층이 없음
doctor-veth-missing = 가상 네트워크 장치 ({ $reason })
doctor-docker-missing = docker 클라이언트 (PATH에 docker가 있어야 함)
doctor-docker-fix = apt-get download docker.io && dpkg-deb -x docker.io_*.deb x && install x/usr/bin/docker /usr/local/bin/ (클라이언트만 설치하고, dockerd는 절대 실행하지 마세요)
doctor-pivot-root-initramfs = 루트 파일시스템이 initramfs(rootfs)임
doctor-pivot-root-fix = 디스크 이미지(실제 루트 파일시스템)로 부팅하거나, 먼저 switch_root로 initramfs에서 빠져나오세요
doctor-lesson-fix = 실습을 고치세요 (glassbox lesson dev-check)
doctor-seccomp-ok = 커널이 BPF 필터를 받아들임 (seccomp 단계)
doctor-seccomp-fix = CONFIG_SECCOMP_FILTER를 켜고 빌드한 커널
doctor-prctl-ok = 쓸 수 있음 (caps·nnp 단계)
doctor-prctl-fix = 4.3보다 새로운 커널
doctor-userns-max = user.max_user_namespaces가 0입니다: 유저 네임스페이스를 하나도 만들 수 없습니다
doctor-userns-apparmor = kernel.apparmor_restrict_unprivileged_userns가 1입니다: AppArmor가 권한 없는 비제한(unconfined) 프로그램의 유저 네임스페이스를 거부합니다 (root는 해당 없음)
doctor-userns-clone = kernel.unprivileged_userns_clone이 0입니다: root만 유저 네임스페이스를 만들 수 있습니다
# doctor 첫 열의 이름 (--json은 영어 이름을 그대로 둔다).
doctor-name-namespace = 네임스페이스 { $kind }
doctor-name-userns-limits = 유저 네임스페이스 제한
doctor-name-controller = 컨트롤러 { $controller }
doctor-name-docker = docker 클라이언트
doctor-name-seccomp = seccomp 필터
doctor-layout-unified = cgroup v2 (통합): 트리 하나, 컨트롤러는 하위 트리마다 켬
doctor-layout-hybrid = 하이브리드: 컨트롤러가 cgroup v1 트리에 있고 v2 트리에는 없으므로 glassbox는 v1을 씁니다
doctor-layout-legacy = cgroup v1 (레거시): 컨트롤러마다 트리 하나
