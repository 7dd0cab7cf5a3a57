# Wrong: the volume is mounted in both boxes, but the note is written on
# the host, straight into the volume's folder: no box wrote anything.
glassbox volume create l13data
glassbox volume add l13a l13data:/data
glassbox volume add l13b l13data:/data
dir=$(glassbox volume inspect l13data --json | grep -o '"path": *"[^"]*' | grep -o '[^"]*$')
echo 'written by l13a' > "$dir/note"
glassbox rm --force l13a
