# `pi = 3` before `from math import pi`: hoisting the import above the rebinding changes both prints.
# %%
pi = 3
print(pi)
# %% [markdown]
# ## Real pi
# %%
from math import pi
print(round(pi, 4))
