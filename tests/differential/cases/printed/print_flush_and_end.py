# Progress prints with end="" and flush=True, completed by a newline later.
# expect: same
# %%
for step in range(4):
    print(".", end="", flush=True)
# %%
print(" finished")
