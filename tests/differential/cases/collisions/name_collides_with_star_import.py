# `from os.path import *` and a heading "Join" whose section calls join().
# %%
from os.path import *
# %% [markdown]
# ## Join
# %%
path = join("a", "b")
print(path, basename(path))
