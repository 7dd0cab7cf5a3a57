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
