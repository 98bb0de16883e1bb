# `!cat file` prints the file through the shell.
# %%
with open("poem.txt", "w") as handle:
    handle.write("roses\nviolets\n")
# %%
!cat poem.txt
