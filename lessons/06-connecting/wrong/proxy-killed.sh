# Wrong: every step right, then the port proxy is killed (as a stray
# process, say). The record still lists the port, but nothing forwards it.
glassbox net l06a
glassbox net l06b
a=$(glassbox inspect l06a --json | grep -o '"address": *"[0-9.]*' | grep -o '[0-9.]*$')
glassbox exec l06b -- ping -c 1 -W 2 "$a"
glassbox publish l06a "$PORT:80"
# The proxy of l06a under this root only: `glassbox-proxy l06a … ROOT`.
for d in /proc/[0-9]*; do
  argv=$(tr '\0' ' ' < "$d/cmdline" 2>/dev/null) || continue
  case "$argv" in
    "glassbox-proxy l06a "*" $GLASSBOX_ROOT ") kill "${d#/proc/}" ;;
  esac
done
