# list(handle) of an open file shown consumes its lines.
# %%
with open("in.txt", "w") as out:
    out.write("a\nb\n")
handle = open("in.txt")
# %%
handle.readline()
# %%
print(repr(handle.read()))
