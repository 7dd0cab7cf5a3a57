# Wrong: only the namespace and filesystem steps are replayed; the limit
# step is left out, so l15b may use all of the machine's memory.
glassbox history l15a --script \
  | sed -n 's/^# step [0-9]*: //p' | grep -v ' limit ' \
  | sed 's/\<l15a\>/l15b/g' > l15b.sh
bash -e l15b.sh
