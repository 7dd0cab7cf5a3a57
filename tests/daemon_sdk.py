"""The Python Docker SDK (docker from PyPI) against `glassbox daemon`.

Run by tests/it/daemon.rs: python daemon_sdk.py SOCKET ROOT. Each check
reads the kernel where it can (the command's cgroup, its mounts, its
namespaces), not only what the daemon answers. Exit code 0 and the line
"all passed" when every check held.
"""

import os
import sys

import docker

socket, root = sys.argv[1], sys.argv[2]
client = docker.DockerClient(base_url=f"unix://{socket}", timeout=60)


def check(what, got, want):
    if got != want:
        sys.exit(f"FAILED: {what}: got {got!r}, want {want!r}")
    print(f"ok: {what}")


def cgroup_value(pid, name):
    """A value of the cgroup the process is in, from /proc/PID/cgroup."""
    for line in open(f"/proc/{pid}/cgroup"):
        _, controllers, path = line.rstrip("\n").split(":", 2)
        dirs = [f"/sys/fs/cgroup{path}"] + [f"/sys/fs/cgroup/{c}{path}" for c in controllers.split(",") if c]
        for d in dirs:
            if os.path.exists(f"{d}/{name}"):
                return open(f"{d}/{name}").read().strip()
    sys.exit(f"FAILED: no {name} in the cgroups of {pid}")


check("ping", client.ping(), True)
check("the API version settled on", client.version()["ApiVersion"], "1.47")

out = client.containers.run("busybox", ["sh", "-c", "echo out; echo err >&2"], remove=True)
check("run returns the command's stdout", out, b"out\n")

try:
    client.containers.run("busybox", ["sh", "-c", "exit 5"], remove=True)
    sys.exit("FAILED: a failing command raises ContainerError")
except docker.errors.ContainerError as e:
    check("the exit code of a failed run", e.exit_status, 5)

c = client.containers.run(
    "busybox", ["sh", "-c", "echo started; sleep 60"], detach=True, name="sdk",
    mem_limit="64m", pids_limit=20, volumes={"sdkdata": {"bind": "/data", "mode": "rw"}},
    environment={"COLOUR": "blue"},
)
c.reload()
check("a detached container runs", c.status, "running")
pid = c.attrs["State"]["Pid"]
v2 = all(line.startswith("0::") for line in open(f"/proc/{pid}/cgroup"))
check("mem_limit in the kernel", cgroup_value(pid, "memory.max" if v2 else "memory.limit_in_bytes"), "67108864")
check("pids_limit in the kernel", cgroup_value(pid, "pids.max"), "20")
check("its own uts namespace", os.readlink(f"/proc/{pid}/ns/uts") != os.readlink("/proc/self/ns/uts"), True)
mounts = [line.split(" ")[4] for line in open(f"/proc/{pid}/mountinfo")]
check("the volume is mounted at /data", "/data" in mounts, True)

r = c.exec_run(["sh", "-c", "echo $COLOUR; echo hello > /data/x; cat /data/x; exit 4"], environment={"COLOUR": "red"})
check("exec_run output", r.output, b"red\nhello\n")
check("exec_run exit code", r.exit_code, 4)
check("the volume holds what the box wrote", open(f"{root}/volumes/sdkdata/data/x").read(), "hello\n")
check("logs", c.logs(), b"started\n")
check("the environment of the command", c.attrs["Config"]["Env"], ["COLOUR=blue"])
check("top lists the command", any("sleep 60" in p[-1] for p in c.top()["Processes"]), True)
check("stats read the cgroup", client.api.stats(c.id, stream=False)["memory_stats"]["limit"], 64 << 20)
check("the container is listed by name", [x.name for x in client.containers.list(filters={"name": "sdk"})], ["sdk"])

c.stop(timeout=2)
c.reload()
check("stop ends it with SIGTERM", (c.status, c.attrs["State"]["ExitCode"]), ("exited", 143))
c.remove()
check("removed", [x.name for x in client.containers.list(all=True)], [])

v = client.volumes.create("made-by-sdk")
check("a volume is made", v.name in [x.name for x in client.volumes.list()], True)
check("as a glassbox volume", os.path.isdir(f"{root}/volumes/made-by-sdk"), True)
v.remove()
check("and removed", os.path.isdir(f"{root}/volumes/made-by-sdk"), False)

check("images", ["busybox:latest" in i.tags for i in client.images.list()], [True])
for what, call in [
    ("pull", lambda: client.images.pull("alpine")),
    ("privileged", lambda: client.containers.run("busybox", "true", privileged=True)),
    ("network host", lambda: client.containers.run("busybox", "true", network_mode="host")),
]:
    try:
        call()
        sys.exit(f"FAILED: {what} is refused")
    except docker.errors.APIError as e:
        check(f"{what} is refused with a reason", e.status_code in (400, 404) and len(e.explanation) > 20, True)

print("all passed")
