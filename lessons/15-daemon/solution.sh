# Lesson 15: the box as data, and a second box rebuilt from the first one's record.
glassbox inspect l15a --json > l15a.json                  # the model a daemon would keep
glassbox history l15a --script > l15a-script.sh           # what a runtime like runc does
grep '^# step' l15a-script.sh \
  | sed -e 's/^# step [0-9]*: //' -e 's/\<l15a\>/l15b/g' > l15b.sh
cat l15b.sh                                               # the description, renamed
bash -e l15b.sh                                           # replayed: compose up, by hand
glassbox inspect l15b
