# A function-like section prints the shape of what it returns, then a later section uses it.
# %%
import pandas as pd
raw = pd.DataFrame({"a": [1, None, 3], "b": [1, 2, 3]})
# %% [markdown]
# ## Clean
# %%
clean = raw.dropna()
print(clean.shape)
# %% [markdown]
# ## Use
# %%
print(int(clean["b"].sum()))
