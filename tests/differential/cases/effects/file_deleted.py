# A file written then deleted by a later section: it must not exist at the end.
# expect: same
# %%
import os
with open("scratch.txt", "w") as handle:
    handle.write("temporary")
# %% [markdown]
# ## Clean
# %%
os.remove("scratch.txt")
print(os.path.exists("scratch.txt"))
