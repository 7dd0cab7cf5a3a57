# Wrong: the note is written to /data before the volume is mounted there.
# It lands in l13a's container layer, then the volume is mounted over it and
# hides it; it dies with l13a, and l13b finds an empty volume.
glassbox volume create l13data
glassbox run l13a -- sh -c 'mkdir -p /data && echo written by l13a > /data/note'
glassbox volume add l13a l13data:/data
glassbox volume add l13b l13data:/data
glassbox rm --force l13a
