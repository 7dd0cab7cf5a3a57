# Wrong: capabilities alone. Root keeps its uid: core_pattern is still its
# file to open, and unshare -U needs no capability at all.
glassbox caps "$BOX" --drop ALL
