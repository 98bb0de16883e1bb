# A section titled "Sqrt" uses the imported function sqrt.
# expect: same
# %%
from math import sqrt
value = 16
# %% [markdown]
# ## Sqrt
# %%
root = sqrt(value)
print(root)
