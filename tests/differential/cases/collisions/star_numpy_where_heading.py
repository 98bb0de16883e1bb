# With `from numpy import *`, a section titled "Where" calls numpy's where().
# %%
from numpy import *
mask = array([True, False, True])
# %% [markdown]
# ## Where
# %%
indices = where(mask)[0].tolist()
print(indices)
