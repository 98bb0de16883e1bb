# os.rename moves a file; a later section reads it at its new name.
# expect: same
# %%
import os
with open("raw.csv", "w") as handle:
    handle.write("a\n1\n")
# %% [markdown]
# ## Rename
# %%
os.rename("raw.csv", "clean.csv")
# %% [markdown]
# ## Read back
# %%
rows = open("clean.csv").read().split()
print(rows)
