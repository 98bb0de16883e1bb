# `!mkdir d` creates a folder a later cell writes into.
# %%
!mkdir made
# %%
with open("made/file.txt", "w") as handle:
    handle.write("inside")
print(open("made/file.txt").read())
