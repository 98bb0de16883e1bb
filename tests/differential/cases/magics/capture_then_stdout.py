# `%%capture out` keeps a cell's prints out of the output; a later cell reads out.stdout.
# %%
%%capture out
print("hidden line")
value = 5
# %%
print(repr(out.stdout), value)
