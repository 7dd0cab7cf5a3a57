# Lesson 13: one named volume in two boxes; the data outlives the writer.
glassbox volume create l13data
glassbox volume add l13a l13data:/data
glassbox run l13a -- sh -c 'echo written by l13a > /data/note'
glassbox diff l13a                                       # no note: it skipped the container layer
glassbox volume add l13b l13data:/data
glassbox run l13b -- cat /data/note
glassbox rm --force l13a
glassbox volume ls
glassbox run l13b -- cat /data/note                      # still there
